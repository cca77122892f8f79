// The start-up tier: how long each hook takes to open, load and attach at its exec attach point,
// how long to detach, and all of them together.
#pragma once

#include "bench/results.h"
#include "loader/error.h"

#include <string>
#include <vector>

namespace probectl::bench {

struct StartupOptions {
    std::vector<std::string> hooks;  // registry names
    int rounds = 5;
};

Expected<StartupTier> run_startup(const StartupOptions &options);

}  // namespace probectl::bench
