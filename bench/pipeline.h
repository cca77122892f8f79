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

// Room one exec event takes in a BPF ring buffer: its 8-byte header and the event, 8-byte aligned.
std::uint32_t ring_record_bytes();

// A buffer of ring_bytes, `events` (rounded up to the producer's batch) written while nobody reads,
// then read: what fitted, and what the program counted as dropped.
Expected<PipelineStall> run_stall(std::uint32_t ring_bytes, std::uint64_t events);

}  // namespace probectl::bench
