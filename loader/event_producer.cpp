#include "loader/event_producer.h"

#include "bench_pipeline.skel.h"
#include "loader/core_btf.h"
#include "loader/event_stream.h"
#include "probes/event.h"

#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace probectl {
namespace {

// Room a record takes in a BPF ring buffer: an 8-byte header, the event, rounded up to 8 bytes.
constexpr std::uint32_t kRecordBytes = (8 + sizeof(pctl_event) + 7) / 8 * 8;

}  // namespace

Expected<std::unique_ptr<BpfProbe>> open_event_producer(std::uint32_t ring_bytes)
{
    bench_pipeline_bpf *skel = bench_pipeline_bpf::open(object_open_options());
    if (!skel)
        return fail_at(Stage::open, fmt::format("opening the event producer failed: {}", errno_text(errno)),
                       errno);
    auto probe = std::make_unique<BpfProbe>(
        skel, [](void *s) { bench_pipeline_bpf::destroy(static_cast<bench_pipeline_bpf *>(s)); }, skel->obj);
    skel->rodata->targ_tgid = static_cast<__u32>(getpid());
    skel->rodata->events_per_trigger = kEventsPerTrigger;
    if (int err = bpf_map__set_max_entries(skel->maps.events, ring_bytes); err != 0)
        return fail_at(Stage::load, fmt::format("sizing the ring buffer failed: {}", errno_text(-err)), -err);
    if (auto loaded = probe->load(); !loaded)
        return std::unexpected(loaded.error());
    if (auto linked =
            probe->adopt_link(bpf_program__attach(skel->progs.bench_pipeline), "syscalls:sys_enter_getpgid");
        !linked)
        return std::unexpected(linked.error());
    return probe;
}

void produce_events(std::uint64_t events)
{
    for (std::uint64_t i = 0; i < events / kEventsPerTrigger; i++)
        syscall(SYS_getpgid, 0);
}

std::uint32_t ring_record_bytes()
{
    return kRecordBytes;
}

Expected<RingStall> run_ring_stall(std::uint32_t ring_bytes, std::uint64_t events)
{
    RingStall result;
    result.ring_bytes = ring_bytes;
    auto probe = open_event_producer(ring_bytes);
    if (!probe)
        return std::unexpected(probe.error());
    EventStream stream([&](const ExecEvent &) {
        result.consumed++;
        return true;
    });
    if (auto added = stream.add(**probe); !added)
        return std::unexpected(added.error());
    result.produced = (events + kEventsPerTrigger - 1) / kEventsPerTrigger * kEventsPerTrigger;
    produce_events(result.produced);
    if (auto drained = stream.drain(); !drained)
        return std::unexpected(drained.error());
    auto counters = (*probe)->counters();
    if (!counters)
        return std::unexpected(counters.error());
    result.dropped = counters->dropped;
    return result;
}

}  // namespace probectl
