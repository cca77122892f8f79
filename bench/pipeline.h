// The pipeline tier: how many events per second probectl's userspace side (ring buffer -> decode ->
// sink) sustains, and whether a stalled consumer's losses are counted exactly.
#pragma once

#include "bench/results.h"
#include "loader/error.h"

namespace probectl::bench {

struct PipelineOptions {
    int rounds = 5;
    std::uint32_t ring_bytes = 64u << 20;  // the throughput rounds' buffer: filled, then drained
};

Expected<PipelineTier> run_pipeline(const PipelineOptions &options);

}  // namespace probectl::bench
