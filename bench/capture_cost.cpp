#include "bench/capture_cost.h"

#include "loader/event_stream.h"
#include "loader/stop_signal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

namespace probectl::bench {
namespace {

// Calls between reads of the ring buffer: 256 exec records (2.4 KB each) fill 600 KB of its 1 MiB.
constexpr std::uint64_t kBatch = 256;

struct Sample {
    double ns_per_call = 0;
    std::uint64_t calls = 0;
    std::uint64_t events = 0;
};

Expected<Sample> sample(const AttachStrategy &strategy, const ResolvedTarget &target, Trigger trigger,
                        double seconds)
{
    ProbeFilter filter;
    filter.tgid = static_cast<std::uint32_t>(getpid());
    auto probe = strategy.attach(target, filter);
    if (!probe)
        return std::unexpected(probe.error());
    Sample out;
    EventStream stream([&](const ExecEvent &) {
        out.events++;
        return true;
    });
    if (auto added = stream.add(**probe); !added)
        return std::unexpected(added.error());
    trigger_calls(trigger, kBatch);  // warm
    if (auto drained = stream.drain(); !drained)
        return std::unexpected(drained.error());
    out.events = 0;
    double timed = 0;
    while (timed < seconds) {
        const TriggerRun run = trigger_calls(trigger, kBatch);
        timed += run.seconds;
        out.calls += run.calls;
        if (auto drained = stream.drain(); !drained)
            return std::unexpected(drained.error());
    }
    out.ns_per_call = timed * 1e9 / double(out.calls);
    return out;
}

}  // namespace

CaptureCost measure_capture(const AttachStrategy &strategy, const ResolvedTarget &target, Trigger trigger,
                            const CaptureOptions &options)
{
    CaptureCost cost;
    cost.hook = std::string(strategy.info().name);
    cost.exact = strategy.info().target_kind != TargetKind::raw_tracepoint;  // sys_enter: every syscall
    if (!target.generic()) {
        cost.not_measured = "the attach point is on the exec path: no generic capture there";
        return cost;
    }
    const ValueList *values = target.values_at(1);
    cost.decodes = values ? values->summary() : "each function's own arguments";
    ResolvedTarget exec = target;  // the same attach point, through the hook's exec object
    exec.values.reset();
    exec.site_values.clear();
    for (int round = 0; round < options.samples && !stop_signal(); round++) {
        for (const ResolvedTarget *which : {static_cast<const ResolvedTarget *>(&exec), &target}) {
            const double baseline = trigger_for(trigger, options.sample_seconds).ns_per_call();
            auto measured = sample(strategy, *which, trigger, options.sample_seconds);
            if (!measured) {
                cost.not_measured = measured.error().one_line();
                return cost;
            }
            (which == &exec ? cost.exec_added_ns : cost.generic_added_ns)
                .push_back(measured->ns_per_call - baseline);
            cost.events += measured->events;
            cost.triggers += measured->calls;
        }
    }
    return cost;
}

}  // namespace probectl::bench
