// The report as Markdown: the same sections as on the terminal, as tables.
#include <fmt/format.h>

#include "compare/render.h"
#include "loader/escape.h"

namespace probectl::compare {
namespace {

std::string cell(std::string_view text)
{
    return markdown_cell(text);
}

std::string row(const std::vector<std::string> &cells)
{
    return fmt::format("| {} |\n", fmt::join(cells, " | "));
}

std::string rule(size_t columns)
{
    std::string out = "|";
    for (size_t i = 0; i < columns; i++)
        out += "---|";
    return out + "\n";
}

}  // namespace

std::string render_markdown(const Report &report)
{
    const std::string noun(occurrence_noun(report.event));
    std::string out = fmt::format("# probectl compare on {}: {}\n\nWorkload: {}. {}.\n\n", cell(report.kernel),
                                  cell(report.event), cell(report.workload), counted(report.execs.size(), report));
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            out += fmt::format("- **{}** not attached: {}\n", hook.run.name, cell(hook.run.not_attached));
        else if (!hook.run.note.empty())
            out += fmt::format("- **{}**: {}\n", hook.run.name, cell(hook.run.note));
    }

    out += "\n## Coverage\n\n`yes`: seen once, `Nx`: seen N times, `-`: not seen (why: below), `n/a`: not "
           "attached.\n\n";
    std::vector<std::string> head{noun, "syscall", "path"};
    for (const auto &hook : report.hooks)
        head.push_back(hook.run.name);
    head.push_back("outcome");
    out += row(head) + rule(head.size());
    for (const auto &exec : report.execs) {
        std::vector<std::string> cells{cell(exec_label(exec.exec)), cell(exec.exec.syscall), cell(exec.exec.path)};
        for (size_t h = 0; h < report.hooks.size(); h++)
            cells.push_back(coverage_mark(report.hooks[h], exec.coverage[h]));
        cells.push_back(outcome_text(exec.exec));
        out += row(cells);
    }
    out += "\n### Not seen, and why\n\n" + row({"hook", noun + "s", "cause"}) + rule(3);
    for (const auto &group : absence_groups(report))
        out += row({group.hook, fmt::format("{}", fmt::join(group.execs, ", ")),
                    group.cause.empty() ? "**probectl cannot say why**" : cell(group.cause)});

    if (report.event != "execve") {
        out += "\n## Fields\n\n" + row({"hook", "reads", "events"}) + rule(3);
        for (const auto &hook : report.hooks)
            if (hook.run.attached)
                out += row({hook.run.name, cell(reads_text(hook.run)), fmt::format("{}", hook.events)});
    } else {
        out += "\n## Fields\n\n" +
               row({"hook", "filename from", "argv from", "events", "with filename", "with argv", "with retval",
                    "with old_pid"}) +
               rule(8);
    }
    for (const auto &hook : report.hooks)
        if (hook.run.attached && report.event == "execve")
            out +=
                row({hook.run.name, cell(hook.run.filename_from.empty() ? "-" : hook.run.filename_from),
                     cell(hook.run.argv_from.empty() ? "-" : hook.run.argv_from), fmt::format("{}", hook.events),
                     fmt::format("{}", hook.with_filename), fmt::format("{}", hook.with_argv),
                     fmt::format("{}", hook.with_retval), fmt::format("{}", hook.with_old_pid)});
    out += fmt::format("\n### Where hooks disagree on the same {}\n\n", noun) +
           row({noun, "field", "hooks", "value", "why"}) + rule(5);
    for (const auto &exec : report.execs)
        for (const auto &field : exec.fields)
            if (!field.agree)
                for (const auto &[value, hooks] : value_groups(field))
                    out += row({cell(exec_label(exec.exec)), field.field,
                                fmt::format("{}", fmt::join(hooks, ", ")), cell(value), cell(field.expected)});

    out += fmt::format("\n## Order and timing\n\nMicroseconds after the {}'s first event.\n\n", noun) +
           row({noun, "timeline"}) + rule(2);
    for (const auto &exec : report.execs) {
        std::vector<std::string> steps;
        for (const auto &entry : exec.timeline)
            steps.push_back(
                fmt::format("{} +{}{}", entry.hook, micros(entry.offset_ns), entry.in_child ? " (child)" : ""));
        out += row({cell(exec_label(exec.exec)),
                    steps.empty() ? "(no hook saw it)" : fmt::format("{}", fmt::join(steps, ", "))});
    }
    out += "\nTypical order:\n\n";
    for (const auto &order : report.typical_order)
        out += fmt::format("- {}: {}\n", counted(order.execs, report), fmt::join(order.hooks, " → "));

    out += "\n## Cost and loss\n\n" +
           row({"hook", "events", "matched", "emitted", "dropped", "runs", "ns/run", "recursion misses"}) +
           rule(8);
    for (const auto &hook : report.hooks) {
        if (!hook.run.attached)
            continue;
        out += row(cost_cells(hook));
    }
    out += fmt::format("\nEvents that match no {} of the workload: {}. Absences probectl cannot explain: {}.\n",
                       noun, report.unexplained.size(), report.unknown_causes);
    return out;
}

}  // namespace probectl::compare
