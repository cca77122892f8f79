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

// For each absence in a row that differs: "2a fexit on 6.18: <cause>".
std::vector<std::string> causes(const KernelsReport &report, const KernelsRow &row)
{
    std::vector<std::string> out;
    if (!row.differs())
        return out;
    for (std::size_t i = 0; i < row.kernels.size(); i++) {
        const auto &cell = row.kernels[i];
        if (cell && cell->took_part && cell->count == 0)
            out.push_back(fmt::format("{} {} on {}: {}", row.occurrence, row.hook, report.kernels[i].name,
                                      cell->cause.empty() ? "probectl cannot say why" : cell->cause));
    }
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

    for (const auto &event : report.events) {
        const auto shown = rows_of(report, event, all);
        const auto differing = rows_of(report, event, false).size();
        out += fmt::format("\n{}: {} rows (occurrence x hook); {} differ between kernels\n", t(event),
                           rows_in(report, event), differing);
        if (shown.empty())
            continue;
        if (tables)
            out += fmt::format("  {:<22}{:<13}{}\n", "occurrence", "hook", columns(name_of));
        std::vector<std::string> why;
        for (const KernelsRow *row : shown) {
            const auto cell_of = [&](std::size_t i) { return cell_text(row->kernels[i]); };
            const std::string occurrence = fmt::format("{} {}", row->occurrence, row->scenario);
            if (tables)
                out += fmt::format("  {:<22}{:<13}{}\n", t(occurrence), t(row->hook), columns(cell_of));
            else
                out += wrap(fmt::format("{} {}: {}", t(occurrence), t(row->hook), listed(cell_of)), 80, "  ",
                            "      ");
            for (auto &line : causes(report, *row))
                why.push_back(std::move(line));
        }
        for (const auto &line : why)
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
    for (const auto &event : report.events) {
        const auto shown = rows_of(report, event, all);
        out += fmt::format("\n## {}\n\n{} rows (occurrence x hook); {} differ between kernels.\n", cell(event),
                           rows_in(report, event), rows_of(report, event, false).size());
        if (shown.empty())
            continue;
        out += fmt::format("\n| occurrence | hook |{}\n|---|---|{}\n", heads, rule);
        std::vector<std::string> why;
        for (const KernelsRow *row : shown) {
            std::string cells;
            for (const auto &c : row->kernels)
                cells += " " + cell_text(c) + " |";
            out += fmt::format("| {} {} | {} |{}\n", cell(row->occurrence), cell(row->scenario), cell(row->hook),
                               cells);
            for (auto &line : causes(report, *row))
                why.push_back(std::move(line));
        }
        if (!why.empty()) {
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
    for (const auto &event : report.events) {
        const auto differing = rows_of(report, event, false);
        out += fmt::format("<section class=\"event\"><h2>{}</h2>\n<p>{} rows (occurrence x hook); {} differ "
                           "between kernels where the hook took part{}.</p>\n",
                           escape_for_html(event), rows_in(report, event), differing.size(),
                           differing.empty() ? "" : ", with the cause of each absence below the table");
        if (!differing.empty()) {
            out += rows_table(report, differing) + "<ul class=\"why\">\n";
            for (const KernelsRow *row : differing)
                for (const auto &line : causes(report, *row))
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
