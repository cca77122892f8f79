#include <fmt/format.h>

#include <algorithm>

#include "compare/causes.h"
#include "compare/render.h"
#include "loader/escape.h"

namespace probectl::compare {

std::string coverage_mark(const HookSummary &hook, const CoverageCell &cell)
{
    if (!hook.run.attached)
        return "n/a";
    if (cell.count == 0)
        return "-";
    return cell.count == 1 ? "yes" : fmt::format("{}x", cell.count);
}

std::string reads_text(const HookRun &run)
{
    return run.values ? run.values->summary() : "nothing described";
}

std::string counted(std::size_t count, const Report &report)
{
    return fmt::format("{} {}{}", count, occurrence_noun(report.event), count == 1 ? "" : "s");
}

std::string outcome_text(const KnownExec &exec)
{
    if (!exec.error)
        return "?";
    return *exec.error == 0 ? "ok" : *exec.error == kErrnoUnknown ? "failed" : errno_name(*exec.error);
}

std::string exec_label(const KnownExec &exec)
{
    if (!exec.id.starts_with('#'))  // a built-in scenario's: its number and name
        return fmt::format("{} {}", exec.id, exec.scenario);
    // an inferred one's: what it ran or named, by its last path component; a PATH search's miss says so
    // the path is the traced program's to choose: escaped as any value shown
    const std::string what =
        exec.path.empty() ? exec.syscall : escape_for_terminal(exec.path.substr(exec.path.rfind('/') + 1));
    return fmt::format("{} {}{}", exec.id, what, exec.scenario == "path-search" ? " (PATH)" : "");
}

std::string argv_text(const std::vector<std::string> &argv)
{
    std::string out;
    for (const auto &arg : argv)
        out += (out.empty() ? "" : " ") + arg;
    return out;
}

std::string micros(std::uint64_t ns)
{
    return fmt::format("{:.1f}", static_cast<double>(ns) / 1000.0);
}

std::vector<std::pair<std::string, std::vector<std::string>>> value_groups(const FieldComparison &field)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (const auto &value : field.values) {
        const std::string shown = value.truncated ? value.value + " [truncated]" : value.value;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto &g) { return g.first == shown; });
        if (it == groups.end())
            groups.push_back({shown, {value.hook}});
        else
            it->second.push_back(value.hook);
    }
    return groups;
}

std::vector<std::string> cost_cells(const HookSummary &hook)
{
    auto number = [](const std::optional<std::uint64_t> &v) { return v ? fmt::format("{}", *v) : "-"; };
    const auto &run = hook.run;
    const auto per_run = ns_per_run(run);
    return {run.name,
            fmt::format("{}", hook.events),
            fmt::format("{}", hook.explained),
            fmt::format("{}", run.emitted),
            fmt::format("{}", run.dropped),
            number(run.run_count),
            per_run ? fmt::format("{:.0f}", *per_run) : "-",
            number(run.recursion_misses)};
}

std::vector<AbsenceGroup> absence_groups(const Report &report)
{
    std::vector<AbsenceGroup> groups;
    for (size_t h = 0; h < report.hooks.size(); h++) {
        const auto &hook = report.hooks[h];
        if (!hook.run.attached)
            continue;  // said once, in the header
        for (const auto &exec : report.execs) {
            const auto &cell = exec.coverage[h];
            if (cell.count != 0)
                continue;
            auto it = std::find_if(groups.begin(), groups.end(), [&](const AbsenceGroup &g) {
                return g.hook == hook.run.name && g.cause == cell.cause;
            });
            if (it == groups.end())
                groups.push_back({hook.run.name, cell.cause, {exec.exec.id}});
            else
                it->execs.push_back(exec.exec.id);
        }
    }
    return groups;
}

std::string markdown_cell(std::string_view text)
{
    std::string out;
    for (char c : escape_for_terminal(text)) {
        if (c == '|' || c == '`' || c == '*' || c == '_' || c == '<' || c == '>' || c == '[' || c == ']')
            out += '\\';
        out += c;
    }
    return out;
}

}  // namespace probectl::compare
