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
    // start-up to the first event (bench/first_event.h): rounds, and whether bpftrace takes part
    int first_event_rounds = 5;
    bool bpftrace = true;
};

Expected<StartupTier> run_startup(const StartupOptions &options);

}  // namespace probectl::bench
