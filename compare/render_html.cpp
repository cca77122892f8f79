// The report as one self-contained HTML page, for a teacher to project: no network, inline styles,
// the coverage matrix as a heat map and each exec's hooks on a timeline chart (inline SVG).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compare/render.h"
#include "loader/escape.h"

namespace probectl::compare {
namespace {

std::string html(std::string_view text)
{
    return escape_for_html(text);
}

// One colour per hook, the same in the legend and the chart.
constexpr const char *kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string colour_of(const Report &report, const std::string &hook)
{
    for (size_t i = 0; i < report.hooks.size(); i++)
        if (report.hooks[i].run.name == hook)
            return kPalette[i % std::size(kPalette)];
    return "#000";
}

constexpr const char *kStyle = R"(
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.c{text-align:center;font-weight:600;min-width:3.2em}.heatmap th{font-size:.85em}
.heatmap td:first-child{white-space:nowrap}
td.seen{background:#3a9d4a;color:#fff}td.many{background:#1d5e8c;color:#fff}
td.absent{background:#f6c344}td.unknown{background:#d9453b;color:#fff}
td.na{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#ddd 4px,#ddd 8px);color:#777}
.legend span{display:inline-block;margin-right:1em}.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}
code{background:#f5f5f5;padding:0 .2em}.note{color:#555}.nowrap{white-space:nowrap}
table.values{table-layout:fixed;width:100%}table.values code{overflow-wrap:anywhere}
table.values th:nth-child(1){width:9em}table.values th:nth-child(2){width:5em}
table.values th:nth-child(3){width:11em}table.values th:nth-child(5){width:24em}
)";

// A hook's name in a column head: it may wrap after a dot (kprobe.multi), so that thirteen columns fit.
std::string break_after_dots(const std::string &name)
{
    std::string out;
    for (char c : name)
        out += c == '.' ? std::string(".<wbr>") : std::string(1, c);
    return out;
}

std::string coverage_class(const HookSummary &hook, const CoverageCell &cell)
{
    if (!hook.run.attached)
        return "na";
    if (cell.count == 0)
        return cell.cause.empty() ? "unknown" : "absent";
    return cell.count == 1 ? "seen" : "many";
}

// What each occurrence was: the scenario's words, the syscall made, the file or address, the outcome.
std::string occurrences_table(const Report &report)
{
    std::string out = fmt::format("<table class=\"occurrences\"><tr><th>{}</th><th>what</th><th>syscall</th>"
                                  "<th>path</th><th>outcome</th></tr>\n",
                                  occurrence_noun(report.event));
    for (const auto &exec : report.execs)
        out += fmt::format("<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td>"
                           "</tr>\n",
                           html(exec_label(exec.exec)), html(exec.exec.description), html(exec.exec.syscall),
                           html(exec.exec.path), html(outcome_text(exec.exec)));
    return out + "</table>\n";
}

std::string coverage_section(const Report &report)
{
    std::string out = "<section id=\"coverage\"><h2>Coverage</h2>\n" + occurrences_table(report) +
                      "<p class=\"legend\">"
                      "<span><i class=\"swatch\" style=\"background:#3a9d4a\"></i>seen once</span>"
                      "<span><i class=\"swatch\" style=\"background:#1d5e8c\"></i>seen more than once</span>"
                      "<span><i class=\"swatch\" style=\"background:#f6c344\"></i>not seen (hover for why)</span>"
                      "<span><i class=\"swatch\" style=\"background:#d9453b\"></i>not seen, unexplained</span>"
                      "<span><i class=\"swatch\" style=\"background:#ddd\"></i>not attached</span></p>\n"
                      "<table class=\"heatmap\"><tr><th>" +
                      std::string(occurrence_noun(report.event)) + "</th>";
    for (const auto &hook : report.hooks)
        out += fmt::format("<th>{}</th>", break_after_dots(html(hook.run.name)));
    out += "<th>outcome</th></tr>\n";
    for (const auto &exec : report.execs) {
        out += fmt::format("<tr><td title=\"{}\">{}</td>", html(exec.exec.path), html(exec_label(exec.exec)));
        for (size_t h = 0; h < report.hooks.size(); h++) {
            const auto &hook = report.hooks[h];
            const auto &cell = exec.coverage[h];
            const std::string why = !hook.run.attached ? hook.run.not_attached : cell.cause;
            out += fmt::format("<td class=\"c {}\" title=\"{}\">{}</td>", coverage_class(hook, cell), html(why),
                               html(coverage_mark(hook, cell)));
        }
        out += fmt::format("<td>{}</td></tr>\n", html(outcome_text(exec.exec)));
    }
    out += fmt::format("</table>\n<h3>Not seen, and why</h3>\n<table><tr><th>hook</th><th>{}s</th><th>cause</th>"
                       "</tr>\n",
                       occurrence_noun(report.event));
    for (const auto &group : absence_groups(report))
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", html(group.hook),
                           html(fmt::format("{}", fmt::join(group.execs, ", "))),
                           group.cause.empty() ? "<b>probectl cannot say why</b>" : html(group.cause));
    return out + "</table></section>\n";
}

// Another event's hooks: what each read, as the kernel describes it.
std::string reads_table(const Report &report)
{
    std::string out = "<table><tr><th>hook</th><th>reads</th><th>events</th></tr>\n";
    for (const auto &hook : report.hooks)
        if (hook.run.attached)
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", html(hook.run.name),
                               html(reads_text(hook.run)), hook.events);
    return out;
}

std::string fields_section(const Report &report)
{
    const std::string_view noun = occurrence_noun(report.event);
    std::string out = "<section id=\"fields\"><h2>Fields</h2>\n";
    if (report.event != "execve")
        out += reads_table(report);
    else
        out += "<table><tr><th>hook</th><th>filename from</th>"
               "<th>argv from</th><th>events</th><th>with filename</th><th>with argv</th>"
               "<th>with retval</th><th>with old_pid</th></tr>\n";
    for (const auto &hook : report.hooks)
        if (hook.run.attached && report.event == "execve")
            out +=
                fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                            "<td>{}</td></tr>\n",
                            html(hook.run.name), html(hook.run.filename_from), html(hook.run.argv_from),
                            hook.events, hook.with_filename, hook.with_argv, hook.with_retval, hook.with_old_pid);
    out += fmt::format("</table>\n<h3>Where hooks disagree on the same {0}</h3>\n<table class=\"values\"><tr>"
                       "<th>{0}</th><th>field</th><th>hooks</th><th>value</th><th>why</th></tr>\n",
                       noun);
    bool any = false;
    for (const auto &exec : report.execs)
        for (const auto &field : exec.fields) {
            if (field.agree)
                continue;
            const auto groups = value_groups(field);
            bool first = true;
            for (const auto &[value, hooks] : groups) {
                any = true;
                // the reason once for the field, over its values' rows
                const std::string why = first ? fmt::format("<td rowspan=\"{}\">{}</td>", groups.size(),
                                                            field.expected.empty() ? "" : html(field.expected))
                                              : "";
                out += fmt::format("<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td><code>{}</code></td>"
                                   "{}</tr>\n",
                                   html(exec_label(exec.exec)), html(field.field),
                                   html(fmt::format("{}", fmt::join(hooks, ", "))), html(value), why);
                first = false;
            }
        }
    if (!any)
        out += "<tr><td colspan=\"5\">nowhere: every hook that filled a field reported the same value</td></tr>\n";
    return out + "</table></section>\n";
}

// Each exec a row; each hook a dot at its time after the exec's first event, on a log scale so that
// hooks a microsecond apart and a millisecond apart are both visible.
std::string timeline_section(const Report &report)
{
    constexpr int kLeft = 170, kWidth = 900, kRow = 28, kTop = 30;
    std::uint64_t max_ns = 1;
    for (const auto &exec : report.execs)
        for (const auto &entry : exec.timeline)
            max_ns = std::max(max_ns, entry.offset_ns);
    const double span = std::log10(1.0 + static_cast<double>(max_ns) / 1000.0);
    auto x_of = [&](std::uint64_t ns) {
        const double scaled = span > 0 ? std::log10(1.0 + static_cast<double>(ns) / 1000.0) / span : 0.0;
        return kLeft + static_cast<int>(scaled * kWidth);
    };
    const int height = kTop + kRow * static_cast<int>(report.execs.size()) + 20;
    std::string out = fmt::format("<section id=\"timeline\"><h2>Order and timing</h2>\n<p class=\"legend\">");
    for (const auto &hook : report.hooks)
        if (hook.run.attached)
            out += fmt::format("<span><i class=\"swatch\" style=\"background:{}\"></i>{}</span>",
                               colour_of(report, hook.run.name), html(hook.run.name));
    out += fmt::format("</p>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" "
                       "aria-label=\"hooks per exec over time\">\n",
                       kLeft + kWidth + 40, height);
    for (double us : {0.0, 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0}) {
        const auto ns = static_cast<std::uint64_t>(us * 1000);
        if (ns > max_ns && us > 0)
            break;
        const int x = x_of(ns);
        out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#ddd\"/><text x=\"{0}\" "
                           "y=\"{3}\" font-size=\"14\" text-anchor=\"middle\">{4} µs</text>\n",
                           x, kTop - 10, height - 20, height - 5, us);
    }
    int y = kTop;
    for (const auto &exec : report.execs) {
        out += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"14\">{}</text><line x1=\"{}\" y1=\"{}\" x2=\"{}\" "
                           "y2=\"{}\" stroke=\"#999\"/>\n",
                           y + 14, html(exec_label(exec.exec)), kLeft, y + 10, kLeft + kWidth, y + 10);
        // A dot closer than its width to the one before is lifted or lowered, so that both show
        // (tp_btf and raw_tp fire microseconds apart at the same tracepoint).
        int last_x = -100, shift = 0;
        for (const auto &entry : exec.timeline) {
            const int x = x_of(entry.offset_ns);
            shift = x - last_x < 12 ? (shift == 0 ? -6 : shift < 0 ? 6 : 0) : 0;
            last_x = x;
            out +=
                fmt::format("<circle class=\"hit\" cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{}\" fill-opacity=\"0.8\">"
                            "<title>{}: +{} µs on CPU {}{}</title></circle>\n",
                            x, y + 10 + shift, colour_of(report, entry.hook), html(entry.hook),
                            micros(entry.offset_ns), entry.cpu, entry.in_child ? ", in the child" : "");
        }
        y += kRow;
    }
    out += "</svg>\n<h3>Typical order</h3>\n<ul>\n";
    for (const auto &order : report.typical_order)
        out += fmt::format("<li>{}: {}</li>\n", counted(order.execs, report),
                           html(fmt::format("{}", fmt::join(order.hooks, " → "))));
    return out + "</ul></section>\n";
}

std::string cost_section(const Report &report)
{
    std::string out = "<section id=\"cost\"><h2>Cost and loss</h2>\n<table><tr><th>hook</th><th>events</th>"
                      "<th>matched</th><th>emitted</th><th>dropped</th><th>runs</th><th>ns/run</th>"
                      "<th>recursion misses</th></tr>\n";
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            continue;
        out += "<tr>";
        for (const auto &text : cost_cells(hook))
            out += fmt::format("<td>{}</td>", html(text));
        out += "</tr>\n";
    }
    return out + fmt::format("</table>\n<p>Events that match no {} of the workload: {}. Absences probectl "
                             "cannot explain: {}.</p></section>\n",
                             occurrence_noun(report.event), report.unexplained.size(), report.unknown_causes);
}

}  // namespace

std::string render_html(const Report &report)
{
    std::string out =
        fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<title>probectl compare on {0}: {4}</title><style>{1}</style></head>\n<body>\n"
                    "<h1>probectl compare on {0}: {4}</h1>\n<p>Workload: {2}. {3}.</p>\n<ul class=\"note\">\n",
                    html(report.kernel), kStyle, html(report.workload), counted(report.execs.size(), report),
                    html(report.event));
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            out += fmt::format("<li><b>{}</b> not attached: {}</li>\n", html(hook.run.name),
                               html(hook.run.not_attached));
        else if (!hook.run.note.empty())
            out += fmt::format("<li><b>{}</b>: {}</li>\n", html(hook.run.name), html(hook.run.note));
    }
    out += "</ul>\n" + coverage_section(report) + fields_section(report) + timeline_section(report) +
           cost_section(report);
    // Marks the page once every section is in the document: what the browser test reads back.
    out += "<script>document.body.dataset.sections = "
           "['coverage','fields','timeline','cost'].filter(id => document.getElementById(id)).join(' ');"
           "</script>\n</body></html>\n";
    return out;
}

}  // namespace probectl::compare
