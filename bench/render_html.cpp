// probectl bench --html: one self-contained page (no scripts, no fetches): the machine, the goals,
// and a bar chart of the added cost per hook for the micro and exec tiers, with min..max whiskers.
#include "bench/report.h"
#include "loader/escape.h"

#include <fmt/format.h>

#include <algorithm>

namespace probectl::bench {
namespace {

std::string html(std::string_view text)
{
    return escape_for_html(text);
}

constexpr const char *kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.met{color:#176f2c}.not-met{color:#b00020}.rough{color:#8a5a00}p.rough{background:#fff4d6;padding:.5em}
.not-measured{color:#777}.warn{background:#fff3cd;padding:.5em;border:1px solid #e0c36b}
svg text{font:12px system-ui,sans-serif}
)";

struct Bar {
    std::string label;
    Spread value;
    std::string note;  // shown instead of a bar when there is no value
};

// Horizontal bars on a shared linear scale, whiskers from min to max.
std::string bar_chart(const std::vector<Bar> &bars, std::string_view unit, std::string_view id)
{
    constexpr int kLabel = 110, kWidth = 460, kRow = 24, kPad = 8;
    double top = 0;
    for (const auto &b : bars)
        if (b.note.empty())
            top = std::max({top, b.value.max, b.value.median});
    if (top <= 0)
        top = 1;
    const int height = static_cast<int>(bars.size()) * kRow + 2 * kPad;
    std::string out = fmt::format("<svg id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
                                  "role=\"img\" aria-label=\"{} per hook\">\n",
                                  id, kLabel + kWidth + 120, height, html(unit));
    int y = kPad;
    for (const auto &b : bars) {
        out += fmt::format("<text x=\"0\" y=\"{}\">{}</text>", y + 15, html(b.label));
        if (!b.note.empty()) {
            out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#777\">{}</text>\n", kLabel, y + 15, html(b.note));
        } else {
            auto x = [&](double v) { return kLabel + std::max(0.0, v) / top * kWidth; };
            out += fmt::format(
                "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#4c78a8\">"
                "<title>{}: {:.1f} {} (min {:.1f}, max {:.1f})</title></rect>",
                kLabel, y + 4, x(b.value.median) - kLabel, kRow - 8, html(b.label), b.value.median, html(unit),
                b.value.min, b.value.max);
            out += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"#222\"/>",
                               x(b.value.min), x(b.value.max), y + kRow / 2, y + kRow / 2);
            out += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{:.1f}</text>\n", x(b.value.max) + 6, y + 15,
                               b.value.median);
        }
        y += kRow;
    }
    return out + "</svg>\n";
}

std::string environment_section(const Environment &env)
{
    std::string out = "<h2>Machine</h2>\n<table>\n";
    for (const auto &[key, value] :
         std::vector<std::pair<std::string, std::string>>{{"date", env.date},
                                                          {"kernel", env.kernel},
                                                          {"CPU", env.cpu_model},
                                                          {"cores", std::to_string(env.cores)},
                                                          {"virtualisation", env.virtualization}})
        out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", key, html(value));
    std::string mitigations;
    for (const auto &[name, status] : env.mitigations)
        mitigations += fmt::format("{}: {}<br>", html(name), html(status));
    out += fmt::format("<tr><th>mitigations</th><td>{}</td></tr>\n</table>\n", mitigations);
    if (env.emulated)
        out += "<p class=\"warn\">Measured under software CPU emulation (qemu TCG): absolute times are far from "
               "real hardware; compare the hooks with each other only.</p>\n";
    return out;
}

std::string goals_section(const Results &results)
{
    const auto goals = evaluate_goals(results);
    if (goals.empty())
        return "";
    std::string out = "<h2>Goals</h2>\n<table>\n<tr><th>goal</th><th>status</th><th>measured</th></tr>\n";
    for (const auto &g : goals) {
        std::string cls(status_name(g.status));
        std::ranges::replace(cls, ' ', '-');
        out += fmt::format("<tr><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n", html(g.goal), cls,
                           status_name(g.status), html(g.detail));
    }
    return out + "</table>\n";
}

// probectl's own objects at the same attach points: the exec object against the generic one.
std::string capture_table(const std::vector<CaptureCost> &capture)
{
    std::string out = "<h3>probectl's objects at the same points, every event read</h3>\n<p>Each hook's exec "
                      "object (task fields) and its generic object (the attach point's arguments, typed), "
                      "ns added per event, median.</p>\n<table>\n<tr><th>hook</th><th>exec object</th>"
                      "<th>generic object</th><th>ratio</th><th>generic decodes</th></tr>\n";
    for (const auto &c : capture) {
        if (!c.not_measured.empty()) {
            out += fmt::format("<tr><td>{}</td><td colspan=\"4\" class=\"not-measured\">{}</td></tr>\n",
                               html(c.hook), html(c.not_measured));
            continue;
        }
        const double exec = spread_of(c.exec_added_ns).median;
        const double generic = spread_of(c.generic_added_ns).median;
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.1f}</td><td "
                           "class=\"n\">{:.2f}</td><td>{}</td></tr>\n",
                           html(c.hook), exec, generic, exec > 0 ? generic / exec : 0.0, html(c.decodes));
    }
    return out + "</table>\n";
}

std::string micro_section(const MicroTier &m)
{
    std::vector<Bar> bars;
    for (const auto &h : m.hooks)
        bars.push_back({h.hook, spread_of(h.added_ns), h.not_measured});
    std::string out =
        fmt::format("<h2>Micro: ns added per event</h2>\n<p>The same trivial program on every hook, "
                    "a trigger loop pinned to CPU {}; each sample minus the no-hook sample taken just "
                    "before it ({} samples of {:.2f} s).</p>\n",
                    m.cpu, m.samples, m.sample_seconds);
    out += bar_chart(bars, "ns per event", "micro-chart");
    out += "<table>\n<tr><th>hook</th><th>attach point</th><th>triggers/s</th><th>hits per trigger</th></tr>\n";
    for (const auto &h : m.hooks)
        if (h.not_measured.empty())
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.3f}</td></tr>\n",
                html(h.hook), html(h.attach_point), 1e9 / spread_of(h.ns_per_call).median,
                h.triggers ? double(h.hits) / double(h.triggers) : 0.0);
    out += "</table>\n";
    return m.capture.empty() ? out : out + capture_table(m.capture);
}

std::string exec_section(const ExecTier &e)
{
    std::vector<Bar> bars;
    for (const auto &h : e.hooks) {
        Spread us = spread_of(h.added_ns);
        us = {us.min / 1e3, us.median / 1e3, us.max / 1e3};
        bars.push_back({h.hook, us, h.not_measured});
    }
    std::string out = fmt::format("<h2>Exec: &micro;s added per exec</h2>\n<p>An exec storm of a static helper, "
                                  "each hook alone against no hook, alternated; no hook: {:.1f} &micro;s per "
                                  "exec.</p>\n",
                                  spread_of(e.baseline_ns_per_exec).median / 1e3);
    out += bar_chart(bars, "us per exec", "exec-chart");
    if (const auto &f = e.flood)
        out += fmt::format("<p>All {} hooks at once on {} workers: {:.0f} execs/s, {} events of {} expected, {} "
                           "dropped.</p>\n",
                           f->hooks.size(), f->workers, double(f->execs) / f->seconds, f->events,
                           f->expected_events, f->dropped);
    return out;
}

std::string startup_section(const StartupTier &s)
{
    std::string out = "<h2>Start-up</h2>\n<table>\n<tr><th>hook</th><th>open ms</th><th>load ms</th><th>attach "
                      "ms</th><th>detach ms</th></tr>\n";
    for (const auto &h : s.hooks) {
        if (!h.not_measured.empty()) {
            out += fmt::format("<tr><td>{}</td><td colspan=\"4\" class=\"not-measured\">{}</td></tr>\n",
                               html(h.hook), html(h.not_measured));
            continue;
        }
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{:.2f}</td><td class=\"n\">{:.2f}</td><td "
                           "class=\"n\">{:.2f}</td><td class=\"n\">{:.2f}</td></tr>\n",
                           html(h.hook), spread_of(h.open_ms).median, spread_of(h.load_ms).median,
                           spread_of(h.attach_ms).median, spread_of(h.detach_ms).median);
    }
    out += "</table>\n";
    if (!s.together_ms.empty())
        out += fmt::format("<p>All {} together: {:.1f} ms to attach, {:.1f} ms to detach.</p>\n",
                           s.together_hooks.size(), spread_of(s.together_ms).median,
                           spread_of(s.together_detach_ms).median);
    if (s.first_event.empty())
        return out;
    out += "<p>Started from nothing until the first exec through the tracepoint is shown, an exec every 2 ms "
           "(medians):</p>\n<table>\n<tr><th>program</th><th>first event ms</th><th>ended ms</th><th>peak "
           "MiB</th></tr>\n";
    for (const auto &t : s.first_event) {
        if (!t.not_measured.empty()) {
            out +=
                fmt::format("<tr><td title=\"{}\">{}</td><td colspan=\"3\" class=\"not-measured\">{}</td></tr>\n",
                            html(t.command), html(t.tool), html(t.not_measured));
            continue;
        }
        out += fmt::format("<tr><td title=\"{}\">{}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.1f}</td><td "
                           "class=\"n\">{:.1f}</td></tr>\n",
                           html(t.command), html(t.tool), spread_of(t.first_event_ms).median,
                           spread_of(t.end_ms).median, spread_of(t.peak_mib).median);
    }
    out += "</table>\n";
    return out;
}

std::string pipeline_section(const PipelineTier &p)
{
    std::string out = "<h2>Pipeline</h2>\n<table>\n<tr><th>sink</th><th>events/s</th><th>ns/event</th></tr>\n";
    for (const auto &s : p.sinks) {
        const double rate = spread_of(s.events_per_s).median;
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.0f}</td></tr>\n",
                           html(s.sink), rate, 1e9 / std::max(1.0, rate));
    }
    out += "</table>\n";
    if (const auto &st = p.stall)
        out += fmt::format("<p>Stalled consumer: {} produced, {} consumed, {} dropped reported.</p>\n",
                           st->produced, st->consumed, st->dropped);
    return out;
}

}  // namespace

std::string render_html(const Results &results)
{
    std::string out = fmt::format("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                  "<title>probectl bench on {}</title><style>{}</style></head>\n<body>\n"
                                  "<h1>probectl bench on {}</h1>\n",
                                  html(results.environment.kernel), kStyle, html(results.environment.kernel));
    if (results.quick)
        out += "<p class=\"rough\"><strong>A quick run (--quick):</strong> short samples that check every tier "
               "runs. Its figures are rough and judge no goal; a negative added cost is noise.</p>\n";
    out += environment_section(results.environment);
    out += goals_section(results);
    // the tiers in the order they run and docs/cli.md lists them
    if (results.startup)
        out += startup_section(*results.startup);
    if (results.micro)
        out += micro_section(*results.micro);
    if (results.exec)
        out += exec_section(*results.exec);
    if (results.pipeline)
        out += pipeline_section(*results.pipeline);
    return out + "</body></html>\n";
}

}  // namespace probectl::bench
