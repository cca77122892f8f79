// Synthetic exec events at will: probes/bench_pipeline.bpf.c writes a burst of them into its ring
// buffer on each getpgid call of this process. probectl bench's pipeline tier measures the
// userspace side with it, and lab 13 fills ring buffers with it to watch what a stall loses.
#pragma once

#include "loader/bpf_probe.h"
#include "loader/error.h"

#include <cstdint>
#include <memory>

namespace probectl {

// Events written per getpgid call: produce_events() writes multiples of it.
inline constexpr std::uint32_t kEventsPerTrigger = 16;

// Room one exec event takes in a BPF ring buffer: its 8-byte header and the event, 8-byte aligned.
std::uint32_t ring_record_bytes();

// The producer with a ring buffer of ring_bytes, loaded and attached, as a BpfProbe so that
// probectl's own EventStream reads it.
Expected<std::unique_ptr<BpfProbe>> open_event_producer(std::uint32_t ring_bytes);

// Writes `events` events (rounded down to a multiple of kEventsPerTrigger), whether read or not.
void produce_events(std::uint64_t events);

struct RingStall {
    std::uint32_t ring_bytes = 0;
    std::uint64_t produced = 0;  // events the program tried to write (getpgid calls x events per call)
    std::uint64_t consumed = 0;  // events read after the stall
    std::uint64_t dropped = 0;   // the program's own count of failed reservations
};

// A buffer of ring_bytes, `events` (rounded up to the producer's batch) written while nobody reads,
// then read: what fitted, and what the program counted as dropped.
Expected<RingStall> run_ring_stall(std::uint32_t ring_bytes, std::uint64_t events);

}  // namespace probectl
