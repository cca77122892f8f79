// The micro tier: cost per event of each hook type, as in the kernel's trigger benchmarks
// (tools/testing/selftests/bpf/benchs/bench_trigger.c).
#pragma once

#include "bench/results.h"
#include "loader/error.h"

#include <string>
#include <vector>

namespace probectl::bench {

struct MicroOptions {
    std::vector<std::string> hooks;  // registry names
    int samples = 5;
    double sample_seconds = 0.2;
    double warmup_seconds = 0.05;
};

// Each hook's trivial program (probes/bench_micro.bpf.c) attached alone, sampled right after a
// no-hook baseline sample of the same trigger, round after round, on one pinned CPU.
Expected<MicroTier> run_micro(const MicroOptions &options);

// The registered hook types that probes/bench_micro.bpf.c has no program for (bench_<hook>): none,
// or the micro tier cannot measure them. Opens the object without loading it (no privileges).
std::vector<std::string> hooks_without_micro_program();

}  // namespace probectl::bench
