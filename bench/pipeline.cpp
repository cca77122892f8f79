#include "bench/pipeline.h"

#include "bench_pipeline.skel.h"
#include "cli/event_format.h"
#include "cli/stop_signal.h"
#include "loader/core_btf.h"
#include "loader/event_stream.h"
#include "probes/event.h"

#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace probectl::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Room a record takes in a BPF ring buffer: an 8-byte header, the event, rounded up to 8 bytes.
constexpr std::uint32_t kRecordBytes = (8 + sizeof(pctl_event) + 7) / 8 * 8;
constexpr std::uint32_t kEventsPerTrigger = 16;

// The producer (probes/bench_pipeline.bpf.c), loaded and attached, as a BpfProbe so that probectl's
// own EventStream reads it.
Expected<std::unique_ptr<BpfProbe>> producer(std::uint32_t ring_bytes)
{
    bench_pipeline_bpf *skel = bench_pipeline_bpf::open(object_open_options());
    if (!skel)
        return fail(ErrorKind::kernel, fmt::format("opening the pipeline producer failed: {}", errno_text(errno)));
    auto probe = std::make_unique<BpfProbe>(
        skel, [](void *s) { bench_pipeline_bpf::destroy(static_cast<bench_pipeline_bpf *>(s)); }, skel->obj);
    skel->rodata->targ_tgid = static_cast<__u32>(getpid());
    skel->rodata->events_per_trigger = kEventsPerTrigger;
    if (int err = bpf_map__set_max_entries(skel->maps.events, ring_bytes); err != 0)
        return fail(ErrorKind::kernel, fmt::format("sizing the ring buffer failed: {}", errno_text(-err)));
    if (auto loaded = probe->load(); !loaded)
        return std::unexpected(loaded.error());
    if (auto linked =
            probe->adopt_link(bpf_program__attach(skel->progs.bench_pipeline), "syscalls:sys_enter_getpgid");
        !linked)
        return std::unexpected(linked.error());
    return probe;
}

// Writes `events` events (a multiple of kEventsPerTrigger) with nobody reading.
void produce(std::uint64_t events)
{
    for (std::uint64_t i = 0; i < events / kEventsPerTrigger; i++)
        syscall(SYS_getpgid, 0);
}

// The sinks a user can pick in probectl attach: nothing (a count), or NDJSON lines.
EventStream::Handler sink(std::string_view name, std::uint64_t &consumed, std::FILE *out)
{
    if (name == "null")
        return [&consumed](const ExecEvent &) {
            consumed++;
            return true;
        };
    return [&consumed, out](const ExecEvent &event) {
        const std::string line = json_line(event_to_json(event, "tracepoint", "syscalls:sys_enter_getpgid", 0));
        std::fwrite(line.data(), 1, line.size(), out);
        std::fputc('\n', out);
        consumed++;
        return true;
    };
}

Expected<PipelineSink> throughput(std::string_view name, const PipelineOptions &options)
{
    PipelineSink result;
    result.sink = std::string(name);
    std::FILE *devnull = std::fopen("/dev/null", "w");
    if (!devnull)
        return fail(ErrorKind::bad_file, "cannot open /dev/null for the NDJSON sink");
    const std::unique_ptr<std::FILE, int (*)(std::FILE *)> closer(devnull, std::fclose);
    auto probe = producer(options.ring_bytes);
    if (!probe)
        return std::unexpected(probe.error());
    EventStream stream(sink(name, result.events, devnull));
    if (auto added = stream.add(**probe); !added)
        return std::unexpected(added.error());
    // 90% of the buffer, so nothing is dropped and every round drains the same number of events.
    const std::uint64_t per_round =
        std::uint64_t(options.ring_bytes) / kRecordBytes * 9 / 10 / kEventsPerTrigger * kEventsPerTrigger;
    for (int round = 0; round < options.rounds && !stop_signal(); round++) {
        const std::uint64_t before = result.events;
        produce(per_round);
        result.produced += per_round;
        const auto start = Clock::now();
        if (auto drained = stream.drain(); !drained)
            return std::unexpected(drained.error());
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        result.events_per_s.push_back(double(result.events - before) / seconds);
    }
    return result;
}

}  // namespace

std::uint32_t ring_record_bytes()
{
    return kRecordBytes;
}

Expected<PipelineStall> run_stall(std::uint32_t ring_bytes, std::uint64_t events)
{
    PipelineStall result;
    result.ring_bytes = ring_bytes;
    auto probe = producer(ring_bytes);
    if (!probe)
        return std::unexpected(probe.error());
    EventStream stream([&](const ExecEvent &) {
        result.consumed++;
        return true;
    });
    if (auto added = stream.add(**probe); !added)
        return std::unexpected(added.error());
    result.produced = (events + kEventsPerTrigger - 1) / kEventsPerTrigger * kEventsPerTrigger;
    produce(result.produced);
    if (auto drained = stream.drain(); !drained)
        return std::unexpected(drained.error());
    auto counters = (*probe)->counters();
    if (!counters)
        return std::unexpected(counters.error());
    result.dropped = counters->dropped;
    return result;
}

Expected<PipelineTier> run_pipeline(const PipelineOptions &options)
{
    PipelineTier tier;
    tier.event_bytes = sizeof(pctl_event);
    tier.ring_bytes = options.ring_bytes;
    for (std::string_view name : {"null", "ndjson"}) {
        auto measured = throughput(name, options);
        if (!measured)
            return std::unexpected(measured.error());
        tier.sinks.push_back(std::move(*measured));
    }
    // The default-sized buffer, twice its capacity written while nobody reads, then read.
    constexpr std::uint32_t kDefaultRing = 1u << 20;
    auto stalled = run_stall(kDefaultRing, std::uint64_t(kDefaultRing) / kRecordBytes * 2);
    if (!stalled)
        return std::unexpected(stalled.error());
    tier.stall = *stalled;
    return tier;
}

}  // namespace probectl::bench
