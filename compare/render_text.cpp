// The report on a terminal, in 80 columns: four sections, each a table or folded lines. Hook names
// head the coverage matrix on staggered lines, so that thirteen hooks fit in four-column cells; a
// value too long to show whole (an argv) is cut with a marker saying how much is left out.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "compare/render.h"
#include "loader/escape.h"
#include "loader/text.h"

namespace probectl::compare {
namespace {

constexpr std::size_t kColumns = 80;
constexpr int kLabelWidth = 16;
constexpr int kCellWidth = 4;  // "yes", "n/a", "12x" and a space

// The bytes of `text` from `at` that fit `width` columns, not splitting a UTF-8 character.
std::size_t piece_size(const std::string &text, std::size_t at, std::size_t width)
{
    std::size_t size = std::min(width, text.size() - at);
    while (size > 0 && at + size < text.size() && (static_cast<unsigned char>(text[at + size]) & 0xc0) == 0x80)
        size--;
    return size == 0 ? std::min(width, text.size() - at) : size;
}

// A value (a file name, an argv; escaped for the terminal) in at most `lines` lines of `width`: cut
// hard, since it is data, not prose, and marked where it is cut short.
std::vector<std::string> folded_value(const std::string &value, std::size_t width, std::size_t lines)
{
    constexpr std::size_t kMarkerRoom = 24;  // " ... (+N bytes)"
    std::string shown = value;
    if (value.size() > width * lines) {
        const std::size_t keep = piece_size(value, 0, width * lines - kMarkerRoom);
        shown = value.substr(0, keep) + fmt::format(" ... (+{} bytes)", value.size() - keep);
    }
    std::vector<std::string> out;
    for (std::size_t at = 0; at < shown.size();) {
        const std::size_t size = piece_size(shown, at, width);
        out.push_back(shown.substr(at, size));
        at += size;
    }
    if (out.empty())
        out.emplace_back();
    return out;
}

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
    out += p.heading(
        wrap(fmt::format("probectl compare on {}: {}, {}, {} of {} hook types attached", report.kernel,
                         report.event, counted(report.execs.size(), report), attached, report.hooks.size()),
             kColumns, "", "    "));
    out += wrap(escape_for_terminal(report.workload), kColumns, "workload: ", "    ");
    const std::string indent(16, ' ');
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            out += wrap("not attached: " + hook.run.not_attached, kColumns,
                        fmt::format("  {:<13} ", hook.run.name), indent);
        else if (!hook.run.note.empty())
            out += wrap(hook.run.note, kColumns, fmt::format("  {:<13} ", hook.run.name), indent);
    }
}

void coverage(std::string &out, const Report &report, const Painter &p)
{
    out += "\n" + p.heading("COVERAGE") + "  yes: seen once, Nx: N times, -: not seen (why: below),\n" +
           "          n/a: not attached\n";
    // As many staggered lines of names as the longest needs to keep a space before the next name
    std::size_t longest = 0;
    for (const auto &hook : report.hooks)
        longest = std::max(longest, hook.run.name.size());
    const int lines = static_cast<int>((longest + kCellWidth) / kCellWidth);
    const std::size_t outcome_column = kLabelWidth + kCellWidth * report.hooks.size();
    bool outcome_named = false;
    for (int line = 0; line < lines; line++) {
        std::string names(static_cast<size_t>(kLabelWidth), ' ');
        for (size_t h = 0; h < report.hooks.size(); h++) {
            const size_t column = static_cast<size_t>(kLabelWidth) + h * kCellWidth;
            if (static_cast<int>(h % static_cast<size_t>(lines)) != line)
                continue;
            names.resize(std::max(names.size(), column), ' ');
            names.resize(column);
            names += report.hooks[h].run.name;
        }
        const std::string label = upper(occurrence_noun(report.event));
        std::string text =
            line == 0 ? fmt::format("{:<{}}", label, kLabelWidth) + names.substr(kLabelWidth) : names;
        if (!outcome_named && text.size() < outcome_column) {  // the outcome column's name, where it is free
            text = fmt::format("{:<{}}OUTCOME", text, outcome_column);
            outcome_named = true;
        }
        out += text + "\n";
    }
    if (!outcome_named)
        out += fmt::format("{:<{}}OUTCOME\n", "", outcome_column);
    for (const auto &exec : report.execs) {
        std::string row = fmt::format(
            "{:<{}}", exec_label(exec.exec).substr(0, piece_size(exec_label(exec.exec), 0, kLabelWidth - 1)),
            kLabelWidth);
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
        const std::string which = hook_list(group.execs);
        // the occurrences on a line of their own when they are many ("1, 3, 5, 6, 7, 8c")
        out += which.size() <= 14 ? wrap(cause, kColumns, fmt::format("  {:<13} {:<14} ", group.hook, which),
                                         std::string(31, ' '))
                                  : fmt::format("  {:<13} {}\n", group.hook, which) +
                                        wrap(cause, kColumns, std::string(31, ' '), std::string(31, ' '));
    }
}

// Another event's hooks read values each described by the kernel: what each read, by name.
void read_values(std::string &out, const Report &report)
{
    out += fmt::format("{:<14}{}\n", "HOOK", "READS (events)");
    for (const auto &hook : report.hooks)
        if (hook.run.attached)
            out += wrap(fmt::format("{} ({})", reads_text(hook.run), hook.events), kColumns,
                        fmt::format("{:<14}", hook.run.name), std::string(14, ' '));
}

// An exec's hooks: where each one's filename and argv come from, and how many of its events had them.
void exec_fields(std::string &out, const Report &report, const Painter &p)
{
    out += "\n" + p.heading("FIELDS") + "  events that carried each field, of the hook's events\n";
    out += fmt::format("{:<14}{:<10}{:<10}{:<10}{}\n", "HOOK", "FILENAME", "ARGV", "RETVAL", "OLD_PID");
    std::string sources;
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            continue;
        auto filled = [&](const std::string &from, size_t with) {
            return from.empty() ? std::string("-") : fmt::format("{}/{}", with, hook.events);
        };
        out += fmt::format(
            "{:<14}{:<10}{:<10}{:<10}{}\n", hook.run.name, filled(hook.run.filename_from, hook.with_filename),
            filled(hook.run.argv_from, hook.with_argv), fmt::format("{}/{}", hook.with_retval, hook.events),
            fmt::format("{}/{}", hook.with_old_pid, hook.events));
        if (!hook.run.filename_from.empty() || !hook.run.argv_from.empty())
            sources += wrap(fmt::format("filename from {}; argv from {}",
                                        hook.run.filename_from.empty() ? "-" : hook.run.filename_from,
                                        hook.run.argv_from.empty() ? "-" : hook.run.argv_from),
                            kColumns, fmt::format("  {:<13} ", hook.run.name), std::string(16, ' '));
    }
    if (!sources.empty())
        out += "Where each hook reads them:\n" + sources;
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
            if (!field.expected.empty())
                out += wrap(field.expected, kColumns, "      ", "        ");
            for (const auto &[value, hooks] : value_groups(field)) {
                out += wrap(hook_list(hooks) + ":", kColumns, "      ", "        ");
                for (const auto &piece : folded_value(escape_for_terminal(value), kColumns - 10, 3))
                    out += "          " + piece + "\n";
            }
        }
    if (!any)
        out += "  nowhere: every hook that filled a field reported the same value\n";
    for (const auto &exec : report.execs)
        if (!exec.truncated_by.empty())
            out += wrap(fmt::format("truncation flagged by {}", hook_list(exec.truncated_by)), kColumns,
                        fmt::format("  {:<14} ", exec_label(exec.exec)), std::string(17, ' '));
}

void timing(std::string &out, const Report &report, const Painter &p)
{
    out +=
        "\n" + p.heading("ORDER AND TIMING") + "  hooks in the order they fired, microseconds after the first\n";
    for (const auto &exec : report.execs) {
        const std::string label = fmt::format(
            "{:<{}}", exec_label(exec.exec).substr(0, piece_size(exec_label(exec.exec), 0, kLabelWidth - 1)),
            kLabelWidth);
        std::vector<std::string> steps;
        for (const auto &entry : exec.timeline)  // a step is never folded inside: "uretprobe +5.1 (child)"
            steps.push_back(fmt::format("{}\u00a0+{}{}", entry.hook, micros(entry.offset_ns),
                                        entry.in_child ? "\u00a0(child)" : ""));
        std::string line = exec.timeline.empty() ? label + "(no hook saw it)\n"
                                                 : wrap(fmt::format("{}", fmt::join(steps, "\u00a0 ")), kColumns,
                                                        label, std::string(static_cast<size_t>(kLabelWidth), ' '));
        for (std::size_t at = 0; (at = line.find("\u00a0", at)) != std::string::npos;)
            line.replace(at, 2, line[at + 2] == '\n' ? "" : " ");  // none at the end of a line
        out += line;
    }
    if (!report.typical_order.empty()) {
        out += "Typical order:\n";
        for (size_t i = 0; i < std::min<size_t>(3, report.typical_order.size()); i++)
            out += wrap(fmt::format("{}: {}", counted(report.typical_order[i].execs, report),
                                    fmt::join(report.typical_order[i].hooks, " > ")),
                        kColumns, "  ", "    ");
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
        out += wrap(fmt::format("pid {} tgid {} comm {} filename {}", event.pid, event.tgid,
                                escape_for_terminal(event.comm),
                                event.filename ? escape_for_terminal(*event.filename) : "-"),
                    kColumns, fmt::format("  {:<13} ", hook_name(report, event.hook)), std::string(16, ' '));
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
