// The exec tier: an exec storm with each hook attached and with none, alternated; and a flood with
// every hook attached at once on every CPU.
#pragma once

#include "bench/results.h"
#include "loader/error.h"

#include <string>
#include <vector>

namespace probectl::bench {

struct ExecOptions {
    std::vector<std::string> hooks;  // registry names
    int samples = 3;
    double sample_seconds = 0.3;
    double flood_seconds = 1.0;
    std::string helper;  // the static helper to exec; empty: find it (find_exec_helper)
};

// PROBECTL_EXEC_HELPER, else probectl-exec-helper next to the running binary (a build tree) or in
// PREFIX/libexec/probectl (installed: loader/own_files.h).
Expected<std::string> find_exec_helper();

Expected<ExecTier> run_exec(const ExecOptions &options);

}  // namespace probectl::bench
