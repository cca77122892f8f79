#include "bench/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

namespace probectl::bench {
namespace {

const MicroHook *micro_hook(const Results &results, std::string_view name)
{
    if (!results.micro)
        return nullptr;
    for (const auto &hook : results.micro->hooks)
        if (hook.hook == name && hook.not_measured.empty() && !hook.added_ns.empty())
            return &hook;
    return nullptr;
}

// "fentry <= kprobe": the first's added cost (median) is at most the second's.
Goal ordering(const Results &results, std::string_view cheaper, std::string_view dearer,
              std::string_view published)
{
    Goal goal{fmt::format("{} costs no more than {} (published: {})", cheaper, dearer, published), {}, {}};
    const MicroHook *a = micro_hook(results, cheaper);
    const MicroHook *b = micro_hook(results, dearer);
    if (!a || !b) {
        goal.detail = fmt::format("{} not measured on this kernel", !a ? cheaper : dearer);
        return goal;
    }
    const double ca = spread_of(a->added_ns).median, cb = spread_of(b->added_ns).median;
    goal.status = ca <= cb ? GoalStatus::met : GoalStatus::not_met;
    goal.detail = fmt::format("{} +{:.0f} ns, {} +{:.0f} ns per event: {:.2f}x", cheaper, ca, dearer, cb,
                              cb > 0 ? ca / cb : 0.0);
    return goal;
}

nlohmann::json spread_json(const std::vector<double> &values)
{
    const Spread s = spread_of(values);
    return {{"min", s.min}, {"median", s.median}, {"max", s.max}, {"samples", values}};
}

double median(const std::vector<double> &values)
{
    return spread_of(values).median;
}

}  // namespace

std::string_view status_name(GoalStatus status)
{
    switch (status) {
    case GoalStatus::met: return "met";
    case GoalStatus::not_met: return "not met";
    case GoalStatus::rough: return "rough";
    default: return "not measured";
    }
}

namespace {

// probectl attach against the libbpf floor and bpftrace, started alike (bench/first_event.h).
std::vector<Goal> first_event_goals(const StartupTier &tier)
{
    const auto of = [&](std::string_view tool) -> const FirstEventTool * {
        for (const auto &t : tier.first_event)
            if (t.tool == tool && t.not_measured.empty() && !t.first_event_ms.empty())
                return &t;
        return nullptr;
    };
    const FirstEventTool *probectl = of("probectl"), *floor = of("floor"), *bpftrace = of("bpftrace");
    Goal to_floor{
        "attach start-up to the first event <= 1.5x a minimal libbpf C loader of the same skeleton", {}, {}};
    Goal to_bpftrace{"attach start-up to the first event <= 1/6 of bpftrace's", {}, {}};
    Goal memory{"attach peak memory <= 1/5 of bpftrace's", {}, {}};
    if (probectl && floor) {
        const double ratio = median(probectl->first_event_ms) / median(floor->first_event_ms);
        to_floor.status = ratio <= 1.5 ? GoalStatus::met : GoalStatus::not_met;
        to_floor.detail = fmt::format("{:.1f} ms against {:.1f} ms: {:.2f}x", median(probectl->first_event_ms),
                                      median(floor->first_event_ms), ratio);
    }
    if (probectl && bpftrace) {
        const double ratio = median(bpftrace->first_event_ms) / median(probectl->first_event_ms);
        to_bpftrace.status = ratio >= 6 ? GoalStatus::met : GoalStatus::not_met;
        to_bpftrace.detail =
            fmt::format("{:.1f} ms against {:.1f} ms: bpftrace takes {:.1f}x", median(probectl->first_event_ms),
                        median(bpftrace->first_event_ms), ratio);
        const double share = median(probectl->peak_mib) / median(bpftrace->peak_mib);
        memory.status = share <= 0.2 ? GoalStatus::met : GoalStatus::not_met;
        memory.detail = fmt::format("{:.1f} MiB against {:.1f} MiB: {:.2f}", median(probectl->peak_mib),
                                    median(bpftrace->peak_mib), share);
    }
    return {to_floor, to_bpftrace, memory};
}

}  // namespace

std::vector<Goal> evaluate_goals(const Results &results)
{
    std::vector<Goal> goals;
    if (results.micro) {
        goals.push_back(ordering(results, "raw_tp", "tracepoint", "0.3x"));
        goals.push_back(ordering(results, "fentry", "kprobe", "0.2x"));
        goals.push_back(ordering(results, "fexit", "kretprobe", "0.25x"));
        goals.push_back(ordering(results, "uprobe", "uretprobe", "1/1.5-1/2.3x"));
    }
    if (results.pipeline) {
        Goal goal{"probectl's userspace cost per event <= 1 us (>= 1 M events/s, null sink, one core)", {}, {}};
        for (const auto &sink : results.pipeline->sinks)
            if (sink.sink == "null" && !sink.events_per_s.empty()) {
                const double rate = median(sink.events_per_s);
                goal.status = rate >= 1e6 ? GoalStatus::met : GoalStatus::not_met;
                goal.detail = fmt::format("{:.2f} M events/s, {:.0f} ns per event", rate / 1e6, 1e9 / rate);
            }
        goals.push_back(goal);
        // attach --json's formatter against the null sink, in the same run.
        Goal ndjson{"NDJSON (attach --json) <= 1 us per event and <= 3x the null sink", {}, {}};
        const auto rate_of = [&](std::string_view name) -> std::optional<double> {
            for (const auto &sink : results.pipeline->sinks)
                if (sink.sink == name && !sink.events_per_s.empty())
                    return median(sink.events_per_s);
            return std::nullopt;
        };
        if (const auto null_rate = rate_of("null"), json_rate = rate_of("ndjson"); null_rate && json_rate) {
            const double ns = 1e9 / *json_rate, base = 1e9 / *null_rate;
            ndjson.status = ns <= 1000 && ns <= 3 * base ? GoalStatus::met : GoalStatus::not_met;
            ndjson.detail =
                fmt::format("{:.0f} ns per event, {:.1f}x the null sink's {:.0f} ns", ns, ns / base, base);
        }
        goals.push_back(ndjson);
    }
    if (results.startup) {
        Goal goal{"every hook opened, loaded and attached in <= 100 ms", {}, {}};
        const auto &s = *results.startup;
        if (!s.together_ms.empty()) {
            const double ms = median(s.together_ms);
            goal.status = ms <= 100 ? GoalStatus::met : GoalStatus::not_met;
            goal.detail = fmt::format("{} hooks in {:.1f} ms", s.together_hooks.size(), ms);
            const size_t unsupported =
                std::ranges::count_if(s.hooks, [](auto &h) { return !h.not_measured.empty(); });
            if (unsupported)
                goal.detail += fmt::format(" ({} not available on this kernel)", unsupported);
        }
        goals.push_back(goal);
        for (auto &first : first_event_goals(s))
            goals.push_back(std::move(first));
    }
    if (results.exec && results.exec->flood) {
        const auto &f = *results.exec->flood;
        Goal goal{"zero drops at this machine's highest exec rate, default ring buffer", {}, {}};
        goal.status = f.dropped == 0 ? GoalStatus::met : GoalStatus::not_met;
        goal.detail = fmt::format("{:.0f} execs/s on {} workers, {} hooks, {} events, {} dropped",
                                  double(f.execs) / f.seconds, f.workers, f.hooks.size(), f.events, f.dropped);
        goals.push_back(goal);
    }
    if (results.quick)  // short samples: the figures are shown, the goals not judged
        for (auto &goal : goals)
            if (goal.status != GoalStatus::not_measured)
                goal.status = GoalStatus::rough;
    return goals;
}

std::vector<std::string> inconsistencies(const Results &results)
{
    std::vector<std::string> found;
    if (results.micro) {
        for (const auto &h : results.micro->hooks)
            if (h.not_measured.empty() && h.hits != h.triggers)
                found.push_back(fmt::format("micro {}: {} hits for {} triggers", h.hook, h.hits, h.triggers));
        for (const auto &c : results.micro->capture)  // one event read for each call, both objects
            if (c.not_measured.empty() && (c.exact ? c.events != c.triggers : c.events < c.triggers))
                found.push_back(
                    fmt::format("micro capture {}: {} events read for {} triggers", c.hook, c.events, c.triggers));
    }
    if (results.exec) {
        for (const auto &h : results.exec->hooks) {
            if (!h.not_measured.empty())
                continue;
            if (h.events != h.execs * h.expected_per_exec)
                found.push_back(fmt::format("exec {}: {} events for {} execs (expected {} each)", h.hook, h.events,
                                            h.execs, h.expected_per_exec));
            if (h.emitted != h.events)
                found.push_back(
                    fmt::format("exec {}: the program emitted {} but {} were read", h.hook, h.emitted, h.events));
            if (h.dropped)
                found.push_back(fmt::format("exec {}: {} dropped", h.hook, h.dropped));
        }
        if (const auto &f = results.exec->flood; f && f->events + f->dropped != f->expected_events)
            found.push_back(fmt::format("exec flood: {} events + {} dropped for {} expected", f->events,
                                        f->dropped, f->expected_events));
    }
    if (results.pipeline) {
        for (const auto &s : results.pipeline->sinks)
            if (s.events != s.produced)
                found.push_back(
                    fmt::format("pipeline {}: {} consumed of {} produced", s.sink, s.events, s.produced));
        if (const auto &s = results.pipeline->stall; s && s->dropped != s->produced - s->consumed)
            found.push_back(fmt::format("pipeline stall: {} dropped reported, but {} produced - {} consumed = {}",
                                        s->dropped, s->produced, s->consumed, s->produced - s->consumed));
    }
    return found;
}

nlohmann::json to_json(const Results &results)
{
    using nlohmann::json;
    const auto &env = results.environment;
    json out;
    json mitigations = json::object();
    for (const auto &[name, status] : env.mitigations)
        mitigations[name] = status;
    out["probectl_bench"] = 1;  // what `probectl report` recognises bench results by
    out["quick"] = results.quick;
    out["environment"] = {{"date", env.date},
                          {"kernel", env.kernel},
                          {"cpu_model", env.cpu_model},
                          {"cores", env.cores},
                          {"virtualization", env.virtualization},
                          {"emulated", env.emulated},
                          {"mitigations", mitigations}};
    if (const auto &m = results.micro) {
        json tier = {{"cpu", m->cpu}, {"samples", m->samples}, {"sample_seconds", m->sample_seconds}};
        tier["baselines"] = json::array();
        for (const auto &b : m->baselines)
            tier["baselines"].push_back({{"trigger", b.trigger}, {"ns_per_call", spread_json(b.ns_per_call)}});
        tier["hooks"] = json::array();
        for (const auto &h : m->hooks) {
            json row = {{"hook", h.hook}, {"trigger", h.trigger}, {"attach_point", h.attach_point}};
            if (!h.not_measured.empty()) {
                row["not_measured"] = h.not_measured;
            } else {
                const double ns = median(h.ns_per_call);
                row["ns_per_call"] = spread_json(h.ns_per_call);
                row["added_ns"] = spread_json(h.added_ns);
                row["triggers_per_s"] = ns > 0 ? 1e9 / ns : 0.0;
                row["triggers"] = h.triggers;
                row["hits"] = h.hits;
                row["hits_per_trigger"] = h.triggers ? double(h.hits) / double(h.triggers) : 0.0;
            }
            tier["hooks"].push_back(row);
        }
        tier["capture"] = json::array();
        for (const auto &c : m->capture) {
            json row = {{"hook", c.hook}, {"decodes", c.decodes}};
            if (!c.not_measured.empty()) {
                row["not_measured"] = c.not_measured;
            } else {
                row["exec_object_added_ns"] = spread_json(c.exec_added_ns);
                row["generic_object_added_ns"] = spread_json(c.generic_added_ns);
                row["events"] = c.events;
                row["triggers"] = c.triggers;
            }
            tier["capture"].push_back(row);
        }
        out["micro"] = tier;
    }
    if (const auto &e = results.exec) {
        json tier = {{"helper", e->helper},
                     {"samples", e->samples},
                     {"sample_seconds", e->sample_seconds},
                     {"baseline_ns_per_exec", spread_json(e->baseline_ns_per_exec)}};
        tier["hooks"] = json::array();
        for (const auto &h : e->hooks) {
            json row = {
                {"hook", h.hook}, {"attach_point", h.attach_point}, {"expected_per_exec", h.expected_per_exec}};
            if (!h.not_measured.empty()) {
                row["not_measured"] = h.not_measured;
            } else {
                row["ns_per_exec"] = spread_json(h.ns_per_exec);
                row["added_ns"] = spread_json(h.added_ns);
                row["execs"] = h.execs;
                row["events"] = h.events;
                row["emitted"] = h.emitted;
                row["dropped"] = h.dropped;
            }
            tier["hooks"].push_back(row);
        }
        if (const auto &f = e->flood)
            tier["flood"] = {{"workers", f->workers},
                             {"seconds", f->seconds},
                             {"execs", f->execs},
                             {"execs_per_s", double(f->execs) / f->seconds},
                             {"hooks", f->hooks},
                             {"events", f->events},
                             {"expected_events", f->expected_events},
                             {"dropped", f->dropped},
                             {"ring_bytes", f->ring_bytes}};
        out["exec"] = tier;
    }
    if (const auto &s = results.startup) {
        json tier = {{"rounds", s->rounds}, {"symbols_ms", s->symbols_ms}, {"btf_parse_ms", s->btf_parse_ms}};
        tier["hooks"] = json::array();
        for (const auto &h : s->hooks) {
            json row = {{"hook", h.hook}};
            if (!h.not_measured.empty())
                row["not_measured"] = h.not_measured;
            else
                row.update({{"open_ms", spread_json(h.open_ms)},
                            {"load_ms", spread_json(h.load_ms)},
                            {"attach_ms", spread_json(h.attach_ms)},
                            {"detach_ms", spread_json(h.detach_ms)}});
            tier["hooks"].push_back(row);
        }
        tier["first_event"] = json::array();
        for (const auto &t : s->first_event) {
            json row = {{"tool", t.tool}, {"command", t.command}};
            if (!t.not_measured.empty())
                row["not_measured"] = t.not_measured;
            else
                row.update({{"first_event_ms", spread_json(t.first_event_ms)},
                            {"end_ms", spread_json(t.end_ms)},
                            {"peak_mib", spread_json(t.peak_mib)}});
            tier["first_event"].push_back(row);
        }
        tier["together"] = {{"hooks", s->together_hooks},
                            {"ms", spread_json(s->together_ms)},
                            {"detach_ms", spread_json(s->together_detach_ms)}};
        out["startup"] = tier;
    }
    if (const auto &p = results.pipeline) {
        json tier = {{"event_bytes", p->event_bytes}, {"ring_bytes", p->ring_bytes}};
        tier["sinks"] = json::array();
        for (const auto &s : p->sinks)
            tier["sinks"].push_back({{"sink", s.sink},
                                     {"events_per_s", spread_json(s.events_per_s)},
                                     {"ns_per_event", 1e9 / std::max(1.0, median(s.events_per_s))},
                                     {"events", s.events},
                                     {"produced", s.produced}});
        if (const auto &st = p->stall)
            tier["stall"] = {{"ring_bytes", st->ring_bytes},
                             {"produced", st->produced},
                             {"consumed", st->consumed},
                             {"dropped", st->dropped}};
        out["pipeline"] = tier;
    }
    out["goals"] = json::array();
    for (const auto &g : evaluate_goals(results))
        out["goals"].push_back({{"goal", g.goal}, {"status", status_name(g.status)}, {"detail", g.detail}});
    out["inconsistencies"] = inconsistencies(results);
    return out;
}

// A negative added cost is no saving: the hook's cost is below what the samples resolve.
std::string_view noise(double added)
{
    return added < 0 ? "  (negative: noise, below what these samples resolve)" : "";
}

std::string render_text(const Results &results)
{
    const auto &env = results.environment;
    std::string out = fmt::format(
        "probectl bench on {} ({}, {} cores, virtualisation: {}){}\n", env.kernel, env.cpu_model, env.cores,
        env.virtualization, env.emulated ? "\n  measured under software emulation: compare ratios only" : "");
    if (results.quick)
        out += "A QUICK RUN (--quick): short samples that check every tier runs. Its figures are rough and\n"
               "judge no goal; a negative added cost is noise.\n";
    // the tiers in the order they run and docs/cli.md lists them
    if (const auto &s = results.startup) {
        out += fmt::format("\nstartup: median of {} rounds; kernel symbols read once in {:.1f} ms; one kernel BTF "
                           "parse {:.1f} ms\n",
                           s->rounds, s->symbols_ms, s->btf_parse_ms);
        out += fmt::format("  {:<10} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "hook", "open ms", "load ms", "attach",
                           "total", "detach");
        for (const auto &h : s->hooks) {
            if (!h.not_measured.empty()) {
                out += fmt::format("  {:<10} {}\n", h.hook, h.not_measured);
                continue;
            }
            const double o = median(h.open_ms), l = median(h.load_ms), a = median(h.attach_ms);
            out += fmt::format("  {:<10} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f}\n", h.hook, o, l, a,
                               o + l + a, median(h.detach_ms));
        }
        if (!s->together_ms.empty())
            out += fmt::format("  all {} together: {:.1f} ms to attach, {:.1f} ms to detach\n",
                               s->together_hooks.size(), median(s->together_ms), median(s->together_detach_ms));
        if (!s->first_event.empty()) {
            out += "  started from nothing until the first exec through the tracepoint is shown, an exec every 2 "
                   "ms:\n";
            out += fmt::format("  {:<10} {:>12} {:>10} {:>10}\n", "program", "first event", "ended", "peak MiB");
            for (const auto &t : s->first_event)
                if (!t.not_measured.empty())
                    out += fmt::format("  {:<10} {}\n", t.tool, t.not_measured);
                else
                    out += fmt::format("  {:<10} {:>9.1f} ms {:>7.1f} ms {:>10.1f}\n", t.tool,
                                       median(t.first_event_ms), median(t.end_ms), median(t.peak_mib));
        }
    }
    if (const auto &m = results.micro) {
        out +=
            fmt::format("\nmicro: cost per event, trivial program, trigger loop pinned to CPU {}, {} x {:.2f} s "
                        "samples\n",
                        m->cpu, m->samples, m->sample_seconds);
        for (const auto &b : m->baselines) {
            const Spread s = spread_of(b.ns_per_call);
            out += fmt::format("  baseline {:<20} {:>9.1f} ns/call  ({:.1f} .. {:.1f})\n", b.trigger, s.median,
                               s.min, s.max);
        }
        out += fmt::format("  {:<10} {:>12} {:>10} {:>24} {:>9}\n", "hook", "triggers/s", "+ns/event",
                           "spread of +ns (min..max)", "hits/trig");
        for (const auto &h : m->hooks) {
            if (!h.not_measured.empty()) {
                out += fmt::format("  {:<10} {}\n", h.hook, h.not_measured);
                continue;
            }
            const Spread added = spread_of(h.added_ns);
            out += fmt::format("  {:<10} {:>12.0f} {:>10.1f} {:>24} {:>9.3f}{}\n", h.hook,
                               1e9 / median(h.ns_per_call), added.median,
                               fmt::format("{:.1f} .. {:.1f}", added.min, added.max),
                               h.triggers ? double(h.hits) / double(h.triggers) : 0.0, noise(added.median));
        }
        if (!m->capture.empty())
            out += fmt::format("\n  probectl's objects at the same points, every event read: +ns/event (median)\n"
                               "  {:<13} {:>12} {:>14} {:>7}  {}\n",
                               "hook", "exec object", "generic object", "ratio", "generic decodes");
        for (const auto &c : m->capture) {
            if (!c.not_measured.empty()) {
                out += fmt::format("  {:<13} {}\n", c.hook, c.not_measured);
                continue;
            }
            const double exec = median(c.exec_added_ns), generic = median(c.generic_added_ns);
            out += fmt::format("  {:<13} {:>12.1f} {:>14.1f} {:>7.2f}  {}\n", c.hook, exec, generic,
                               exec > 0 ? generic / exec : 0.0, c.decodes);
        }
    }
    if (const auto &e = results.exec) {
        const Spread base = spread_of(e->baseline_ns_per_exec);
        out += fmt::format("\nexec: exec storm of {}, {} x {:.2f} s samples, no hook {:.1f} us/exec\n", e->helper,
                           e->samples, e->sample_seconds, base.median / 1e3);
        out += fmt::format("  {:<10} {:>10} {:>10} {:>8} {:>8} {:>8}\n", "hook", "us/exec", "+us/exec", "execs",
                           "events", "dropped");
        for (const auto &h : e->hooks) {
            if (!h.not_measured.empty()) {
                out += fmt::format("  {:<10} {}\n", h.hook, h.not_measured);
                continue;
            }
            out += fmt::format("  {:<10} {:>10.1f} {:>10.1f} {:>8} {:>8} {:>8}{}{}\n", h.hook,
                               median(h.ns_per_exec) / 1e3, median(h.added_ns) / 1e3, h.execs, h.events, h.dropped,
                               h.expected_per_exec ? "" : "  (execve returns only when it fails)",
                               noise(median(h.added_ns)));
        }
        if (const auto &f = e->flood)
            out +=
                fmt::format("  flood: {} hooks at once, {} workers: {:.0f} execs/s, {} events of {} expected, {} "
                            "dropped ({} KiB ring buffers)\n",
                            f->hooks.size(), f->workers, double(f->execs) / f->seconds, f->events,
                            f->expected_events, f->dropped, f->ring_bytes / 1024);
    }
    if (const auto &p = results.pipeline) {
        out += fmt::format("\npipeline: ring buffer -> decode -> sink, {}-byte events, {} MiB buffer filled then "
                           "drained\n",
                           p->event_bytes, p->ring_bytes >> 20);
        for (const auto &s : p->sinks) {
            const Spread rate = spread_of(s.events_per_s);
            out += fmt::format("  {:<7} sink {:>10.0f} events/s ({:.0f} ns/event; {:.0f} .. {:.0f}), {} of {} "
                               "consumed\n",
                               s.sink, rate.median, 1e9 / std::max(1.0, rate.median), rate.min, rate.max, s.events,
                               s.produced);
        }
        if (const auto &st = p->stall)
            out += fmt::format("  stalled consumer, {} KiB buffer: {} produced, {} consumed, {} dropped reported "
                               "({})\n",
                               st->ring_bytes / 1024, st->produced, st->consumed, st->dropped,
                               st->dropped == st->produced - st->consumed ? "exact" : "MISMATCH");
    }
    const auto goals = evaluate_goals(results);
    if (!goals.empty()) {
        out += "\ngoals\n";
        for (const auto &g : goals)
            out += fmt::format("  [{}] {}: {}\n", status_name(g.status), g.goal, g.detail);
    }
    for (const auto &problem : inconsistencies(results))
        out += fmt::format("  INCONSISTENT: {}\n", problem);
    return out;
}

}  // namespace probectl::bench
