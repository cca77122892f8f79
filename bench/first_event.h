// Start-up to the first event, from outside the process: probectl attach, a minimal libbpf C loader
// of the same tracepoint skeleton (the floor, bench/floor_loader.c) and bpftrace, each started while
// an exec happens every 2 ms, timed until it prints its first event and until it has ended.
#pragma once

#include "bench/results.h"

#include <vector>

namespace probectl::bench {

struct FirstEventOptions {
    int rounds = 5;
    bool bpftrace = true;  // also bpftrace, when it is installed
};

std::vector<FirstEventTool> run_first_event(const FirstEventOptions &options);

}  // namespace probectl::bench
