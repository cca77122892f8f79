#include "bench/pipeline.h"

#include "loader/event_format.h"
#include "loader/event_producer.h"
#include "loader/event_stream.h"
#include "loader/stop_signal.h"
#include "probes/event.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace probectl::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The sinks a user can pick in probectl attach: nothing (a count), NDJSON lines (--json), or the
// table's rows.
EventStream::Handler sink(std::string_view name, std::uint64_t &consumed, std::FILE *out)
{
    if (name == "null")
        return [&consumed](const ExecEvent &) {
            consumed++;
            return true;
        };
    if (name == "table")
        return [&consumed, out](const ExecEvent &event) {
            const std::string row = table_row(event, 0);
            std::fwrite(row.data(), 1, row.size(), out);
            std::fputc('\n', out);
            consumed++;
            return true;
        };
    return [&consumed, out, line = std::string()](const ExecEvent &event) mutable {
        line.clear();  // attach --json's writer, its buffer kept from one event to the next
        append_event_json(line, event, "tracepoint", "syscalls:sys_enter_getpgid", 0);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), out);
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
    auto probe = open_event_producer(options.ring_bytes);
    if (!probe)
        return std::unexpected(probe.error());
    EventStream stream(sink(name, result.events, devnull));
    if (auto added = stream.add(**probe); !added)
        return std::unexpected(added.error());
    // 90% of the buffer, so nothing is dropped and every round drains the same number of events.
    const std::uint64_t per_round =
        std::uint64_t(options.ring_bytes) / ring_record_bytes() * 9 / 10 / kEventsPerTrigger * kEventsPerTrigger;
    for (int round = 0; round < options.rounds && !stop_signal(); round++) {
        const std::uint64_t before = result.events;
        produce_events(per_round);
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

Expected<PipelineTier> run_pipeline(const PipelineOptions &options)
{
    PipelineTier tier;
    tier.event_bytes = sizeof(pctl_event);
    tier.ring_bytes = options.ring_bytes;
    for (std::string_view name : {"null", "ndjson", "table"}) {
        auto measured = throughput(name, options);
        if (!measured)
            return std::unexpected(measured.error());
        tier.sinks.push_back(std::move(*measured));
    }
    // The default-sized buffer, twice its capacity written while nobody reads, then read.
    constexpr std::uint32_t kDefaultRing = 1u << 20;
    auto stalled = run_ring_stall(kDefaultRing, std::uint64_t(kDefaultRing) / ring_record_bytes() * 2);
    if (!stalled)
        return std::unexpected(stalled.error());
    tier.stall = *stalled;
    return tier;
}

}  // namespace probectl::bench
