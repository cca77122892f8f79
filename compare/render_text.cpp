// The report on a terminal: four sections, each a table that fits 80-120 columns. Hook names head
// the coverage matrix on two staggered lines, so that many hooks fit in few columns.
#include <fmt/format.h>

#include <cctype>

#include "compare/render.h"
#include "loader/escape.h"

namespace probectl::compare {
namespace {

constexpr int kLabelWidth = 16;
constexpr int kCellWidth = 6;

class Painter {
public:
    explicit Painter(bool colour) : colour_(colour) {}
    [[nodiscard]] std::string paint(std::string_view code, std::string_view text) const
    {
        return colour_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
    }
    [[nodiscard]] std::string heading(std::string_view text) const { return paint("1", text); }
    // A coverage mark, padded first so that colour codes do not upset the alignment.
    [[nodiscard]] std::string mark(const std::string &mark) const
    {
        const std::string padded = fmt::format("{:<{}}", mark, kCellWidth);
        if (mark == "yes")
            return paint("32", padded);
        if (mark == "-")
            return paint("33", padded);
        if (mark == "n/a")
            return paint("2", padded);
        return paint("36", padded);
    }

private:
    bool colour_;
};

std::string upper(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string hook_list(const std::vector<std::string> &hooks)
{
    return fmt::format("{}", fmt::join(hooks, ", "));
}

void header(std::string &out, const Report &report, const Painter &p)
{
    size_t attached = 0;
    for (const auto &hook : report.hooks)
        attached += hook.run.attached;
    out +=
        p.heading(fmt::format("probectl compare on {}: {}, {}, {} of {} hook types attached\n", report.kernel,
                              report.event, counted(report.execs.size(), report), attached, report.hooks.size()));
    out += fmt::format("workload: {}\n", escape_for_terminal(report.workload));
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            out += fmt::format("  {:<13} not attached: {}\n", hook.run.name, hook.run.not_attached);
        else if (!hook.run.note.empty())
            out += fmt::format("  {:<13} {}\n", hook.run.name, hook.run.note);
    }
}

void coverage(std::string &out, const Report &report, const Painter &p)
{
    out += "\n" + p.heading("COVERAGE") +
           "  yes: seen once, Nx: seen N times, -: not seen (why: below), n/a: not attached\n";
    for (int line = 0; line < 2; line++) {
        std::string names(static_cast<size_t>(kLabelWidth), ' ');
        for (size_t h = 0; h < report.hooks.size(); h++) {
            const size_t column = static_cast<size_t>(kLabelWidth) + h * kCellWidth;
            if (static_cast<int>(h % 2) != line)
                continue;
            names.resize(std::max(names.size(), column), ' ');
            names.resize(column);
            names += report.hooks[h].run.name;
        }
        const std::string label = upper(occurrence_noun(report.event));
        out += (line == 0 ? fmt::format("{:<{}}", label, kLabelWidth) + names.substr(kLabelWidth) : names) + "\n";
    }
    for (const auto &exec : report.execs) {
        std::string row = fmt::format("{:<{}}", exec_label(exec.exec).substr(0, kLabelWidth - 1), kLabelWidth);
        for (size_t h = 0; h < report.hooks.size(); h++)
            row += p.mark(coverage_mark(report.hooks[h], exec.coverage[h]));
        row += outcome_text(exec.exec);
        out += row + "\n";
    }
    const auto groups = absence_groups(report);
    if (!groups.empty())
        out += "Not seen, and why:\n";
    for (const auto &group : groups) {
        const std::string cause =
            group.cause.empty() ? p.paint("31", "probectl cannot say why (unexplained)") : group.cause;
        out += fmt::format("  {:<13} {:<14} {}\n", group.hook, hook_list(group.execs), cause);
    }
}

// Another event's hooks read values each described by the kernel: what each read, by name.
void read_values(std::string &out, const Report &report)
{
    out += fmt::format("{:<14}{}\n", "HOOK", "READS (events)");
    for (const auto &hook : report.hooks)
        if (hook.run.attached)
            out += fmt::format("{:<14}{} ({})\n", hook.run.name, reads_text(hook.run), hook.events);
}

// An exec's hooks: where each one's filename and argv come from, and how many of its events had them.
void exec_fields(std::string &out, const Report &report, const Painter &p)
{
    out += "\n" + p.heading("FIELDS") +
           "  where each hook's values come from (events that carried the field / events)\n";
    out += fmt::format("{:<14}{:<44}{:<40}{:<8}{}\n", "HOOK", "FILENAME FROM", "ARGV FROM", "RETVAL", "OLD_PID");
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            continue;
        auto filled = [&](const std::string &from, size_t with) {
            return from.empty() ? std::string("-") : fmt::format("{} {}/{}", from, with, hook.events);
        };
        out += fmt::format(
            "{:<14}{:<44}{:<40}{:<8}{}\n", hook.run.name, filled(hook.run.filename_from, hook.with_filename),
            filled(hook.run.argv_from, hook.with_argv), fmt::format("{}/{}", hook.with_retval, hook.events),
            fmt::format("{}/{}", hook.with_old_pid, hook.events));
    }
}

void fields(std::string &out, const Report &report, const Painter &p)
{
    if (report.event != "execve") {
        out += "\n" + p.heading("FIELDS") + "  what each hook read, by the kernel's names for it\n";
        read_values(out, report);
    } else {
        exec_fields(out, report, p);
    }
    out += fmt::format("Where hooks disagree on the same {}:\n", occurrence_noun(report.event));
    bool any = false;
    for (const auto &exec : report.execs)
        for (const auto &field : exec.fields) {
            if (field.agree)
                continue;
            any = true;
            out += fmt::format("  {:<14} {}\n", exec_label(exec.exec), field.field);
            for (const auto &[value, hooks] : value_groups(field))
                out += fmt::format("      {:<34} {}\n", hook_list(hooks), escape_for_terminal(value));
        }
    if (!any)
        out += "  nowhere: every hook that filled a field reported the same value\n";
    for (const auto &exec : report.execs)
        if (!exec.truncated_by.empty())
            out += fmt::format("  {:<14} truncation flagged by {}\n", exec_label(exec.exec),
                               hook_list(exec.truncated_by));
}

void timing(std::string &out, const Report &report, const Painter &p)
{
    out += "\n" + p.heading("ORDER AND TIMING") +
           "  the hooks in the order they fired, microseconds after the first\n";
    for (const auto &exec : report.execs) {
        std::string line = fmt::format("{:<{}}", exec_label(exec.exec).substr(0, kLabelWidth - 1), kLabelWidth);
        for (const auto &entry : exec.timeline)
            line +=
                fmt::format("{} +{}{}  ", entry.hook, micros(entry.offset_ns), entry.in_child ? " (child)" : "");
        out += (exec.timeline.empty() ? line + "(no hook saw it)" : line) + "\n";
    }
    if (!report.typical_order.empty()) {
        out += "Typical order:\n";
        for (size_t i = 0; i < std::min<size_t>(3, report.typical_order.size()); i++)
            out += fmt::format("  {}: {}\n", counted(report.typical_order[i].execs, report),
                               fmt::join(report.typical_order[i].hooks, " > "));
    }
}

void cost(std::string &out, const Report &report, const Painter &p)
{
    const std::string_view noun = occurrence_noun(report.event);
    out += "\n" + p.heading("COST AND LOSS") +
           fmt::format("  per hook: events read, matched to {} {}, the kernel's counts\n",
                       noun.front() == 'o' || noun.front() == 'e' ? "an" : "a", noun);
    out += fmt::format("{:<14}{:>7}{:>8}{:>9}{:>9}{:>7}{:>9}{:>11}\n", "HOOK", "EVENTS", "MATCHED", "EMITTED",
                       "DROPPED", "RUNS", "NS/RUN", "RECURSION");
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            continue;
        const auto cells = cost_cells(hook);
        out += fmt::format("{:<14}{:>7}{:>8}{:>9}{:>9}{:>7}{:>9}{:>11}\n", cells[0], cells[1], cells[2], cells[3],
                           cells[4], cells[5], cells[6], cells[7]);
        const auto &run = hook.run;
        if (run.dropped)
            out += p.paint("31",
                           fmt::format("  {} lost {} events: the ring buffer was full\n", run.name, run.dropped));
    }
    out += fmt::format("Events that match no {} of the workload: {}\n", noun, report.unexplained.size());
    for (size_t i = 0; i < std::min<size_t>(10, report.unexplained.size()); i++) {
        const auto &event = report.unexplained[i];
        out += fmt::format("  {:<13} pid {} tgid {} comm {} filename {}\n", hook_name(report, event.hook),
                           event.pid, event.tgid, escape_for_terminal(event.comm),
                           event.filename ? escape_for_terminal(*event.filename) : "-");
    }
    if (report.unknown_causes)
        out += p.paint("31", fmt::format("{} absences that probectl cannot explain\n", report.unknown_causes));
}

}  // namespace

std::string render_text(const Report &report, const TextStyle &style)
{
    const Painter painter(style.colour);
    std::string out;
    header(out, report, painter);
    coverage(out, report, painter);
    fields(out, report, painter);
    timing(out, report, painter);
    cost(out, report, painter);
    return out;
}

}  // namespace probectl::compare
