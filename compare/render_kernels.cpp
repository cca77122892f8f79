// Laying out the kernels side by side (compare/kernels.h): for a terminal, and as Markdown.
#include "compare/kernels.h"
#include "compare/render.h"
#include "loader/escape.h"
#include "loader/text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace probectl::compare {
namespace {

// A hook's view of an occurrence on one kernel: "yes", "2x", "-" (missed), "n/a" (took no part),
// "" (nothing recorded there).
std::string cell_text(const std::optional<KernelCell> &cell)
{
    if (!cell)
        return "";
    if (!cell->took_part)
        return "n/a";
    if (cell->count == 0)
        return "-";
    return cell->count == 1 ? "yes" : fmt::format("{}x", cell->count);
}

std::string support_text(const std::optional<std::string> &reason)
{
    return !reason ? "" : reason->empty() ? "yes" : "n/a";
}

std::string first_text(const KernelsReport &report, const SupportRow &row)
{
    return row.first_working ? report.kernels[*row.first_working].name : "none";
}

// "kprobe on 6.18: kernel built without CONFIG_KPROBES", for each kernel where a hook took no part.
std::vector<std::string> why_not(const KernelsReport &report)
{
    std::vector<std::string> out;
    for (const auto &row : report.support)
        for (std::size_t i = 0; i < row.kernels.size(); i++)
            if (row.kernels[i] && !row.kernels[i]->empty())
                out.push_back(fmt::format("{} on {}: {}", row.hook, report.kernels[i].name, *row.kernels[i]));
    return out;
}

// Each absence in the rows that differ, grouped: the hooks of one occurrence that miss it on the
// same kernels for the same cause share a line: "2a kprobe, fentry on 6.12, 7.2: <cause>".
std::vector<std::string> causes(const KernelsReport &report, const std::vector<const KernelsRow *> &rows)
{
    struct Group {
        std::string occurrence, kernels, cause;
        std::vector<std::string> hooks;
    };
    std::vector<Group> groups;
    for (const KernelsRow *row : rows) {
        if (!row->differs())
            continue;
        std::vector<std::pair<std::string, std::vector<std::string>>> by_cause;  // cause -> kernels
        for (std::size_t i = 0; i < row->kernels.size(); i++) {
            const auto &cell = row->kernels[i];
            if (!cell || !cell->took_part || cell->count > 0)
                continue;
            const std::string cause = cell->cause.empty() ? "probectl cannot say why" : cell->cause;
            auto found = std::ranges::find(by_cause, cause, &decltype(by_cause)::value_type::first);
            if (found == by_cause.end())
                found = by_cause.insert(by_cause.end(), {cause, {}});
            found->second.push_back(report.kernels[i].name);
        }
        for (const auto &[cause, names] : by_cause) {
            const std::string kernels = fmt::format("{}", fmt::join(names, ", "));
            auto group = std::ranges::find_if(groups, [&](const Group &g) {
                return g.occurrence == row->occurrence && g.kernels == kernels && g.cause == cause;
            });
            if (group == groups.end())
                group = groups.insert(groups.end(), {row->occurrence, kernels, cause, {}});
            group->hooks.push_back(row->hook);
        }
    }
    std::vector<std::string> out;
    for (const auto &g : groups)
        out.push_back(fmt::format("{} {} on {}: {}", g.occurrence, fmt::join(g.hooks, ", "), g.kernels, g.cause));
    return out;
}

std::vector<const KernelsRow *> rows_of(const KernelsReport &report, const std::string &event, bool all)
{
    std::vector<const KernelsRow *> out;
    for (const auto &row : report.rows)
        if (row.event == event && (all || row.differs()))
            out.push_back(&row);
    return out;
}

std::size_t rows_in(const KernelsReport &report, const std::string &event)
{
    return static_cast<std::size_t>(
        std::ranges::count_if(report.rows, [&](const KernelsRow &row) { return row.event == event; }));
}

// "2a fexit retval: 5.10 -2; 6.18 not filled", for each field that differs in the event.
std::vector<std::string> field_lines(const KernelsReport &report, const std::string &event)
{
    std::vector<std::string> out;
    for (const auto &row : report.fields) {
        if (row.event != event)
            continue;
        std::vector<std::string> parts;
        for (std::size_t i = 0; i < row.kernels.size(); i++)
            if (row.kernels[i])
                parts.push_back(fmt::format("{} {}", report.kernels[i].name,
                                            row.kernels[i]->empty() ? "not filled" : *row.kernels[i]));
        out.push_back(fmt::format("{} {} {}: {}", row.occurrence, row.hook, row.field, fmt::join(parts, "; ")));
    }
    return out;
}

std::string kernel_line(const KernelColumn &k)
{
    return fmt::format("{}{}{}: {}", k.release, k.emulated ? " (emulated)" : "",
                       k.probectl_version.empty() ? "" : ", probectl " + k.probectl_version,
                       fmt::join(k.sources, ", "));
}

// A config option on one kernel: "y", "m", a value, "n" (not set), "?" (its config unreadable), ""
// (no file of that kernel says).
std::string config_text(const KernelColumn &k, const std::string &option)
{
    if (!k.facts)
        return "";
    const auto value = k.facts->config.find(option);
    if (value == k.facts->config.end())
        return "?";
    return value->second.empty() ? "n" : value->second;
}

std::string btf_text(const KernelColumn &k)
{
    return !k.facts ? "" : k.facts->btf ? "y" : "no";
}

// The config rows: BTF (/sys/kernel/btf/vmlinux), then each option; none where no kernel has facts.
std::vector<std::pair<std::string, std::vector<std::string>>> config_rows(const KernelsReport &report)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    if (std::ranges::none_of(report.kernels, [](const KernelColumn &k) { return k.facts.has_value(); }))
        return out;
    out.emplace_back("vmlinux BTF", std::vector<std::string>{});
    for (const auto &k : report.kernels)
        out.back().second.push_back(btf_text(k));
    for (const auto &option : report.config_options) {
        out.emplace_back(option, std::vector<std::string>{});
        for (const auto &k : report.kernels)
            out.back().second.push_back(config_text(k, option));
    }
    return out;
}

// A function's prototypes, the kernels that share each: "5.10, 6.1: int bprm_execve(...)".
std::vector<std::string> prototype_groups(const KernelsReport &report, const PrototypeRow &row)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // prototype -> kernels
    for (std::size_t i = 0; i < row.kernels.size(); i++) {
        if (!row.kernels[i])
            continue;
        const std::string text = row.kernels[i]->empty() ? "not in its BTF" : *row.kernels[i];
        auto group = std::ranges::find_if(groups, [&](const auto &g) { return g.first == text; });
        if (group == groups.end())
            group = groups.insert(groups.end(), {text, {}});
        group->second.push_back(report.kernels[i].name);
    }
    std::vector<std::string> out;
    for (const auto &[text, names] : groups)
        out.push_back(fmt::format("{}: {}", fmt::join(names, ", "), text));
    return out;
}

// The functions whose prototype is the same wherever recorded.
std::vector<std::string> same_prototypes(const KernelsReport &report)
{
    std::vector<std::string> out;
    for (const auto &row : report.prototypes)
        if (!row.differs())
            out.push_back(row.function);
    return out;
}

// What a hook costs on one kernel: {"+85 ns/call", "+2.1 us/exec", "31 ms to attach"}; none where
// nothing was measured.
std::vector<std::string> cost_parts(const CostCell &cell)
{
    std::vector<std::string> parts;
    // A negative added cost is the machine's noise, as bench marks it.
    const auto added = [](double value, std::string_view figure) {
        return fmt::format(fmt::runtime(figure), value) + (value < 0 ? " (noise)" : "");
    };
    if (cell.call_added_ns)
        parts.push_back(added(*cell.call_added_ns, "{:+.0f} ns/call"));
    if (cell.exec_added_ns)
        parts.push_back(added(*cell.exec_added_ns / 1000, "{:+.1f} us/exec"));
    if (cell.attach_ms)
        parts.push_back(fmt::format("{:.0f} ms to attach", *cell.attach_ms));
    return parts;
}

std::string not_measured_text(const CostCell &cell)
{
    return cell.not_measured.empty() ? "not measured" : "not measured: " + cell.not_measured;
}

// The same on one line, or why not.
std::string cost_text(const std::optional<CostCell> &cell)
{
    if (!cell)
        return "";
    const auto parts = cost_parts(*cell);
    return parts.empty() ? not_measured_text(*cell) : fmt::format("{}", fmt::join(parts, ", "));
}

// A cell of the page's cost table: a figure a line; "not measured", its reason on hover (the
// support table's list says it too).
std::string cost_html(const std::optional<CostCell> &cell)
{
    if (!cell)
        return "<td></td>";
    std::vector<std::string> parts;
    for (const auto &part : cost_parts(*cell))
        parts.push_back(escape_for_html(part));
    if (parts.empty())
        return fmt::format("<td class=\"na\" title=\"{}\">not measured</td>",
                           escape_for_html(not_measured_text(*cell)));
    return fmt::format("<td>{}</td>", fmt::join(parts, "<br>"));
}

// "5.10 (emulated, quick)": what a cost column is headed by.
std::string cost_head(const KernelColumn &k)
{
    std::vector<std::string> marks;
    if (k.emulated)
        marks.emplace_back("emulated");
    if (k.bench_quick)
        marks.emplace_back("quick");
    return marks.empty() ? k.name : fmt::format("{} ({})", k.name, fmt::join(marks, ", "));
}

constexpr std::string_view kCostNote =
    "medians of one bench run per kernel: added to each call of the attach point, to each exec, and "
    "the time to open, load and attach; emulated kernels (qemu TCG) and quick runs give rough "
    "figures, to compare hooks within a column rather than kernels";

}  // namespace

std::string render_kernels_text(const KernelsReport &report, bool all)
{
    const auto t = [](std::string_view text) { return escape_for_terminal(text); };
    std::size_t width = 5;
    for (const auto &k : report.kernels)
        width = std::max(width, t(k.name).size() + 2);
    // Tables while they fit in 80 columns; past that (many kernels, or long names), one line per row.
    bool tables = 2 + 22 + 13 + width * report.kernels.size() <= 80;
    for (const auto &row : report.support)
        tables = tables && t(row.hook).size() < 13;
    for (const auto &row : report.rows)
        tables = tables && t(row.hook).size() < 13 && t(row.occurrence + " " + row.scenario).size() < 22;
    const auto columns = [&](const auto &cell_of) {
        std::string line;
        for (std::size_t i = 0; i < report.kernels.size(); i++)
            line += fmt::format("{:<{}}", t(cell_of(i)), width);
        return line;
    };
    const auto listed = [&](const auto &cell_of) {
        std::vector<std::string> parts;
        for (std::size_t i = 0; i < report.kernels.size(); i++)
            parts.push_back(fmt::format("{} {}", t(report.kernels[i].name), t(cell_of(i))));
        return fmt::format("{}", fmt::join(parts, ", "));
    };
    const auto name_of = [&](std::size_t i) { return report.kernels[i].name; };

    std::string out = "Kernels, oldest first:\n";
    for (const auto &k : report.kernels)
        out += wrap(fmt::format("{}: {}", t(k.name), t(kernel_line(k))), 80, "  ", "      ");
    if (const auto config = config_rows(report); !config.empty()) {
        std::size_t value_width = width;  // a value may be wider than a version
        for (const auto &[option, values] : config)
            for (const auto &value : values)
                value_width = std::max(value_width, t(value).size() + 1);
        const bool config_table =
            2 + 40 + value_width * report.kernels.size() <= 80 &&
            std::ranges::all_of(config, [&](const auto &row) { return t(row.first).size() < 40; });
        const auto value_columns = [&](const auto &cell_of) {
            std::string line;
            for (std::size_t i = 0; i < report.kernels.size(); i++)
                line += fmt::format("{:<{}}", t(cell_of(i)), value_width);
            return line;
        };
        out += "\nConfig, the options that decide the hook types (n: not set, ?: unreadable):\n";
        if (config_table)
            out += fmt::format("  {:<40}{}\n", "option", value_columns(name_of));
        for (const auto &[option, values] : config) {
            const auto value_of = [&](std::size_t i) { return values[i]; };
            if (config_table)
                out += fmt::format("  {:<40}{}\n", t(option), value_columns(value_of));
            else
                out += wrap(fmt::format("{}: {}", t(option), listed(value_of)), 80, "  ", "      ");
        }
    }
    if (!report.prototypes.empty()) {
        out += "\nKernel functions the hooks attached to, as each kernel's BTF declares them:\n";
        for (const auto &row : report.prototypes) {
            if (!row.differs())
                continue;
            out += wrap(t(row.function) + " differs:", 80, "  ", "      ");
            for (const auto &line : prototype_groups(report, row))
                out += wrap(t(line), 80, "    ", "      ");
        }
        if (const auto same = same_prototypes(report); !same.empty())
            out += wrap(t(fmt::format("the same on each kernel that recorded it: {}", fmt::join(same, ", "))), 80,
                        "  ", "      ");
    }

    out += "\nHook types: yes where one took part, n/a where not (why below); first: the\n"
           "oldest kernel where it works\n";
    if (tables)
        out += fmt::format("  {:<13}{}first\n", "hook", columns(name_of));
    for (const auto &row : report.support) {
        const auto support_of = [&](std::size_t i) { return support_text(row.kernels[i]); };
        if (tables)
            out += fmt::format("  {:<13}{}{}\n", t(row.hook), columns(support_of), t(first_text(report, row)));
        else
            out +=
                wrap(fmt::format("{}: {}; first {}", t(row.hook), listed(support_of), t(first_text(report, row))),
                     80, "  ", "      ");
    }
    for (const auto &line : why_not(report))
        out += wrap(t(line), 80, "    ", "      ");
    if (!report.costs.empty()) {
        out += "\nCost per hook and kernel:\n" + wrap(std::string(kCostNote) + ".", 80, "", "");
        for (const auto &row : report.costs) {
            out += wrap(t(row.hook), 80, "  ", "      ");
            for (std::size_t i = 0; i < row.kernels.size(); i++)
                if (row.kernels[i])
                    out +=
                        wrap(fmt::format("{}: {}", t(cost_head(report.kernels[i])), t(cost_text(row.kernels[i]))),
                             80, "    ", "      ");
        }
    }

    for (const auto &event : report.events) {
        const auto shown = rows_of(report, event, all);
        const auto differing = rows_of(report, event, false).size();
        out += fmt::format("\n{}: {} rows (occurrence x hook); {} differ between kernels\n", t(event),
                           rows_in(report, event), differing);
        if (shown.empty())
            continue;
        if (tables)
            out += fmt::format("  {:<22}{:<13}{}\n", "occurrence", "hook", columns(name_of));
        for (const KernelsRow *row : shown) {
            const auto cell_of = [&](std::size_t i) { return cell_text(row->kernels[i]); };
            const std::string occurrence = fmt::format("{} {}", row->occurrence, row->scenario);
            if (tables)
                out += fmt::format("  {:<22}{:<13}{}\n", t(occurrence), t(row->hook), columns(cell_of));
            else
                out += wrap(fmt::format("{} {}: {}", t(occurrence), t(row->hook), listed(cell_of)), 80, "  ",
                            "      ");
        }
        for (const auto &line : causes(report, shown))
            out += wrap(t(line), 80, "    ", "      ");
    }
    for (const auto &event : report.events) {
        const auto lines = field_lines(report, event);
        if (lines.empty())
            continue;
        out += fmt::format("\n{}: fields a hook fills differently between kernels\n", t(event));
        for (const auto &line : lines)
            out += wrap(t(line), 80, "  ", "      ");
    }
    if (!all)
        out += "\n(rows the same on every kernel are counted, not listed: --all lists them)\n";
    std::string trimmed;  // the columns' padding, not left at the end of a line
    for (const auto &line : split(out, '\n'))
        trimmed += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
    trimmed.pop_back();
    return trimmed;
}

std::string render_kernels_markdown(const KernelsReport &report, bool all)
{
    const auto cell = [](std::string_view text) { return markdown_cell(text); };
    std::string heads, rule;
    for (const auto &k : report.kernels) {
        heads += " " + cell(k.name) + " |";
        rule += "---|";
    }

    std::string out = "# Kernels side by side\n\n";
    for (const auto &k : report.kernels)
        out += fmt::format("- **{}**: {}\n", cell(k.name), cell(kernel_line(k)));
    out += fmt::format("\n## Hook types\n\n| hook |{} first |\n|---|{}---|\n", heads, rule);
    for (const auto &row : report.support) {
        std::string cells;
        for (const auto &reason : row.kernels)
            cells += " " + support_text(reason) + " |";
        out += fmt::format("| {} |{} {} |\n", cell(row.hook), cells, cell(first_text(report, row)));
    }
    const auto reasons = why_not(report);
    if (!reasons.empty()) {
        out += "\n";
        for (const auto &line : reasons)
            out += "- " + cell(line) + "\n";
    }
    if (const auto config = config_rows(report); !config.empty()) {
        out += fmt::format("\n## Config\n\nThe options that decide the hook types (n: not set, ?: the config was "
                           "unreadable).\n\n| option |{}\n|---|{}\n",
                           heads, rule);
        for (const auto &[option, values] : config) {
            std::string cells;
            for (const auto &value : values)
                cells += " " + cell(value) + " |";
            out += fmt::format("| {} |{}\n", cell(option), cells);
        }
    }
    if (!report.prototypes.empty()) {
        out += "\n## Kernel functions\n\nThe functions the hooks attached to, as each kernel's BTF declares "
               "them.\n\n";
        for (const auto &row : report.prototypes) {
            if (!row.differs())
                continue;
            out += fmt::format("- {} differs:\n", cell(row.function));
            for (const auto &line : prototype_groups(report, row))
                out += "  - " + cell(line) + "\n";
        }
        if (const auto same = same_prototypes(report); !same.empty())
            out += fmt::format("- the same on each kernel that recorded it: {}\n",
                               cell(fmt::format("{}", fmt::join(same, ", "))));
    }
    if (!report.costs.empty()) {
        std::string cost_heads;
        for (const auto &k : report.kernels)
            cost_heads += " " + cell(cost_head(k)) + " |";
        out += fmt::format("\n## Cost\n\n{}.\n\n| hook |{}\n|---|{}\n", kCostNote, cost_heads, rule);
        for (const auto &row : report.costs) {
            std::string cells;
            for (const auto &c : row.kernels)
                cells += " " + cell(cost_text(c)) + " |";
            out += fmt::format("| {} |{}\n", cell(row.hook), cells);
        }
    }
    for (const auto &event : report.events) {
        const auto shown = rows_of(report, event, all);
        out += fmt::format("\n## {}\n\n{} rows (occurrence x hook); {} differ between kernels.\n", cell(event),
                           rows_in(report, event), rows_of(report, event, false).size());
        if (shown.empty())
            continue;
        out += fmt::format("\n| occurrence | hook |{}\n|---|---|{}\n", heads, rule);
        for (const KernelsRow *row : shown) {
            std::string cells;
            for (const auto &c : row->kernels)
                cells += " " + cell_text(c) + " |";
            out += fmt::format("| {} {} | {} |{}\n", cell(row->occurrence), cell(row->scenario), cell(row->hook),
                               cells);
        }
        if (const auto why = causes(report, shown); !why.empty()) {
            out += "\n";
            for (const auto &line : why)
                out += "- " + cell(line) + "\n";
        }
        const auto lines = field_lines(report, event);
        if (!lines.empty()) {
            out += "\nFields a hook fills differently between kernels:\n\n";
            for (const auto &line : lines)
                out += "- " + cell(line) + "\n";
        }
    }
    return out;
}

namespace {

constexpr const char *kKernelsStyle = R"(
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1240px;font-size:17px}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.c{text-align:center;font-weight:600;min-width:4em}
td.seen{background:#3a9d4a;color:#fff}td.absent{background:#f6c344}td.unknown{background:#d9453b;color:#fff}
td.na{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#ddd 4px,#ddd 8px);color:#555}
td.none{background:#fff}ul.why li{margin:.2em 0}.note{color:#555}code{background:#f5f5f5;padding:0 .2em}
)";

std::string cell_class(const std::optional<KernelCell> &cell)
{
    if (!cell)
        return "none";
    if (!cell->took_part)
        return "na";
    if (cell->count == 0)
        return cell->cause.empty() ? "unknown" : "absent";
    return "seen";
}

std::string heads_html(const KernelsReport &report)
{
    std::string out;
    for (const auto &k : report.kernels)
        out += fmt::format("<th>{}</th>", escape_for_html(k.name));
    return out;
}

std::string rows_table(const KernelsReport &report, const std::vector<const KernelsRow *> &rows)
{
    std::string out =
        fmt::format("<table class=\"rows\"><tr><th>occurrence</th><th>hook</th>{}</tr>\n", heads_html(report));
    for (const KernelsRow *row : rows) {
        out += fmt::format("<tr><td>{} {}</td><td>{}</td>", escape_for_html(row->occurrence),
                           escape_for_html(row->scenario), escape_for_html(row->hook));
        for (const auto &cell : row->kernels)
            out += fmt::format("<td class=\"c {}\" title=\"{}\">{}</td>", cell_class(cell),
                               escape_for_html(cell && cell->count == 0 ? cell->cause : ""),
                               escape_for_html(cell_text(cell)));
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

}  // namespace

std::string render_kernels_html(const KernelsReport &report)
{
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>probectl: {0} kernels side by side</title><style>{1}</style></head>\n<body>\n"
        "<h1>probectl: {0} kernels side by side</h1>\n<section id=\"kernels\"><h2>Kernels</h2>\n<ul>\n",
        report.kernels.size(), kKernelsStyle);
    for (const auto &k : report.kernels)
        out += fmt::format("<li><b>{}</b>: {}</li>\n", escape_for_html(k.name), escape_for_html(kernel_line(k)));
    out += "</ul></section>\n<section id=\"support\"><h2>Hook types</h2>\n<p class=\"note\">yes: the hook "
           "took part on that kernel; n/a: it did not (why, below); first: the oldest kernel where it "
           "works.</p>\n";
    out += fmt::format("<table class=\"support\"><tr><th>hook</th>{}<th>first</th></tr>\n", heads_html(report));
    for (const auto &row : report.support) {
        out += fmt::format("<tr><td>{}</td>", escape_for_html(row.hook));
        for (const auto &reason : row.kernels)
            out += fmt::format("<td class=\"c {}\" title=\"{}\">{}</td>",
                               !reason           ? "none"
                               : reason->empty() ? "seen"
                                                 : "na",
                               escape_for_html(reason.value_or("")), escape_for_html(support_text(reason)));
        out += fmt::format("<td>{}</td></tr>\n", escape_for_html(first_text(report, row)));
    }
    out += "</table>\n<ul class=\"why\">\n";
    for (const auto &line : why_not(report))
        out += fmt::format("<li>{}</li>\n", escape_for_html(line));
    out += "</ul></section>\n";
    if (const auto config = config_rows(report); !config.empty()) {
        out += fmt::format("<section id=\"config\"><h2>Config</h2>\n<p class=\"note\">The options that decide "
                           "the hook types (n: not set, ?: the config was unreadable).</p>\n<table "
                           "class=\"config\"><tr><th>option</th>{}</tr>\n",
                           heads_html(report));
        for (const auto &[option, values] : config) {
            out += fmt::format("<tr><td><code>{}</code></td>", escape_for_html(option));
            for (const auto &value : values)
                out += fmt::format("<td class=\"c\">{}</td>", escape_for_html(value));
            out += "</tr>\n";
        }
        out += "</table></section>\n";
    }
    if (!report.prototypes.empty()) {
        out += "<section id=\"functions\"><h2>Kernel functions</h2>\n<p class=\"note\">The functions the hooks "
               "attached to, as each kernel's BTF declares them.</p>\n<ul class=\"why\">\n";
        for (const auto &row : report.prototypes) {
            if (!row.differs())
                continue;
            out += fmt::format("<li><code>{}</code> differs:<ul>\n", escape_for_html(row.function));
            for (const auto &line : prototype_groups(report, row))
                out += fmt::format("<li><code>{}</code></li>\n", escape_for_html(line));
            out += "</ul></li>\n";
        }
        if (const auto same = same_prototypes(report); !same.empty())
            out += fmt::format("<li>the same on each kernel that recorded it: {}</li>\n",
                               escape_for_html(fmt::format("{}", fmt::join(same, ", "))));
        out += "</ul></section>\n";
    }
    if (!report.costs.empty()) {
        std::string cost_heads;
        for (const auto &k : report.kernels)
            cost_heads += fmt::format("<th>{}</th>", escape_for_html(cost_head(k)));
        out += fmt::format("<section id=\"cost\"><h2>Cost</h2>\n<p class=\"note\">{}.</p>\n<table "
                           "class=\"cost\"><tr><th>hook</th>{}</tr>\n",
                           escape_for_html(kCostNote), cost_heads);
        for (const auto &row : report.costs) {
            out += fmt::format("<tr><td>{}</td>", escape_for_html(row.hook));
            for (const auto &c : row.kernels)
                out += cost_html(c);
            out += "</tr>\n";
        }
        out += "</table></section>\n";
    }
    for (const auto &event : report.events) {
        const auto differing = rows_of(report, event, false);
        out += fmt::format("<section class=\"event\"><h2>{}</h2>\n<p>{} rows (occurrence x hook); {} differ "
                           "between kernels where the hook took part{}.</p>\n",
                           escape_for_html(event), rows_in(report, event), differing.size(),
                           differing.empty() ? "" : ", with the cause of each absence below the table");
        if (!differing.empty()) {
            out += rows_table(report, differing) + "<ul class=\"why\">\n";
            for (const auto &line : causes(report, differing))
                out += fmt::format("<li>{}</li>\n", escape_for_html(line));
            out += "</ul>\n";
        }
        if (const auto lines = field_lines(report, event); !lines.empty()) {
            out += "<h3>Fields a hook fills differently between kernels</h3>\n<ul class=\"why\">\n";
            for (const auto &line : lines)
                out += fmt::format("<li>{}</li>\n", escape_for_html(line));
            out += "</ul>\n";
        }
        out += "<details><summary>every row</summary>\n" + rows_table(report, rows_of(report, event, true)) +
               "</details></section>\n";
    }
    out += "<script>document.body.dataset.sections = [...document.querySelectorAll('section')].length;</script>\n"
           "</body></html>\n";
    return out;
}

}  // namespace probectl::compare
