// Laying out a comparison report: for a terminal (optionally coloured), as Markdown, and as one
// self-contained HTML page (no network: styles and the charts are inline).
#pragma once

#include "compare/report.h"

#include <string>

namespace probectl::compare {

struct TextStyle {
    bool colour = false;  // ANSI colours: only when writing to a terminal
};

std::string render_text(const Report &report, const TextStyle &style);
std::string render_markdown(const Report &report);
std::string render_html(const Report &report);

// Shared by the renderers: the cell of the coverage matrix ("yes", "2x", "-", "n/a"), an exec's
// outcome ("ok", "ENOENT", "?"), and "1 success" labels.
std::string coverage_mark(const HookSummary &hook, const CoverageCell &cell);
std::string outcome_text(const KnownExec &exec);
std::string exec_label(const KnownExec &exec);
std::string argv_text(const std::vector<std::string> &argv);
// What a hook read at an event other than execve: "dfd (int), filename (ustr), ...".
std::string reads_text(const HookRun &run);
// "1 call", "3 calls": a count of the report's occurrences.
std::string counted(std::size_t count, const Report &report);
// A hostile string in a Markdown table cell: no control bytes, nothing that breaks the cell or
// becomes markup (| ` * _ < > [ ] escaped).
std::string markdown_cell(std::string_view text);
// Nanoseconds as microseconds with one decimal.
std::string micros(std::uint64_t ns);
// Each group of equal values of a field, with the hooks that reported it.
std::vector<std::pair<std::string, std::vector<std::string>>> value_groups(const FieldComparison &field);
// The cost-and-loss row of a hook: name, events, matched, emitted, dropped, runs, ns/run, recursion misses
// ("-" where the kernel does not say).
std::vector<std::string> cost_cells(const HookSummary &hook);
// Absences grouped: for each hook and cause, the execs it concerns.
struct AbsenceGroup {
    std::string hook;
    std::string cause;  // "" when unexplained
    std::vector<std::string> execs;
};
std::vector<AbsenceGroup> absence_groups(const Report &report);

}  // namespace probectl::compare
