// Lab 13: the ring buffer and its losses. A BPF ring buffer is a fixed area shared with userspace;
// when the reader falls behind, bpf_ringbuf_reserve() fails and the event is gone. probectl's
// programs count every such failure, so a loss is never silent.
#include "labs/labs_list.h"

#include "loader/event_producer.h"
#include "probes/event.h"

#include <fmt/format.h>

namespace probectl::lab {
namespace {

constexpr std::uint32_t kSmall = 1u << 20;  // probectl's default, per hook
constexpr std::uint32_t kLarge = 4u << 20;

struct Seen {
    RingStall small, large;
};

Expected<Seen> experiment()
{
    // Twice what each buffer holds, written while nobody reads.
    auto small = run_ring_stall(kSmall, 2ull * kSmall / ring_record_bytes());
    if (!small)
        return std::unexpected(small.error());
    auto large = run_ring_stall(kLarge, 2ull * kLarge / ring_record_bytes());
    if (!large)
        return std::unexpected(large.error());
    return Seen{*small, *large};
}

std::string line(const RingStall &s)
{
    return fmt::format("{:>5} KiB buffer: {} written, {} read afterwards, {} counted as dropped",
                       s.ring_bytes / 1024, s.produced, s.consumed, s.dropped);
}

std::uint64_t capacity(std::uint32_t ring_bytes)
{
    return ring_bytes / ring_record_bytes();
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    return fmt::format("A producer writes exec-sized events ({} bytes, {} with the ring buffer's 8-byte header) "
                       "while nobody reads; then probectl reads what is there.\n\n  {}\n  {}\n\n"
                       "Look at: how many fit (buffer size / record size), and that written = read + dropped.\n"
                       "probectl attach prints the dropped count when it detaches; compare's cost table shows it "
                       "per hook.\n",
                       sizeof(pctl_event), ring_record_bytes(), line(seen->small), line(seen->large));
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::vector<Observation> out;
    for (const RingStall *s : {&seen->small, &seen->large}) {
        out.push_back(
            observe(fmt::format("a {} KiB buffer holds buffer size / record size = {} events; the rest of "
                                "the burst is refused",
                                s->ring_bytes / 1024, capacity(s->ring_bytes)),
                    s->consumed == capacity(s->ring_bytes), line(*s)));
        out.push_back(
            observe(fmt::format("with a {} KiB buffer, every lost event is counted: dropped = written - read",
                                s->ring_bytes / 1024),
                    s->dropped == s->produced - s->consumed, line(*s)));
    }
    return out;
}

}  // namespace

Lab lab_13_ring_buffer()
{
    return {13, "ring-buffer-losses", "The ring buffer, and how losses are counted", run, check, {"tracepoint"}};
}

}  // namespace probectl::lab
