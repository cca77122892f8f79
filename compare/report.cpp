#include "compare/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compare/causes.h"
#include "compare/correlate.h"
#include "loader/escape.h"

namespace probectl::compare {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string> &parts)
{
    std::string out;
    for (const auto &part : parts)
        out += (out.empty() ? "" : " ") + part;
    return out;
}

// A generic capture's values by the names its hook's description gives them (a syscall's
// arguments are named alike at every hook: attach/syscall_event.h), and the return value as "ret".
std::vector<std::pair<std::string, std::optional<std::string>>> named_values(const ExecEvent &event,
                                                                             const ValueList &described)
{
    std::vector<std::pair<std::string, std::optional<std::string>>> out;
    for (size_t i = 0; i < described.fields.size() && i < event.values->size(); i++) {
        const RawValue &value = (*event.values)[i];
        out.emplace_back(described.fields[i].name,
                         value.read ? std::optional(value_text(described.fields[i], value)) : std::nullopt);
    }
    if (described.ret && event.retval) {
        RawValue ret;
        ret.bits = static_cast<std::uint64_t>(*event.retval);
        ret.read = true;
        out.emplace_back("ret", value_text(*described.ret, ret));
    }
    out.emplace_back("comm", event.comm);
    out.emplace_back("pid", fmt::format("{}", event.pid));
    return out;
}

// Each field an event can carry, as text, when the hook filled it.
std::vector<std::pair<std::string, std::optional<std::string>>> field_values(const ExecEvent &event,
                                                                             const HookRun *hook)
{
    if (event.values && hook && hook->values)
        return named_values(event, *hook->values);
    auto number = [](auto value) { return std::optional<std::string>(fmt::format("{}", value)); };
    return {
        {"filename", event.filename},
        {"argv", event.argv ? std::optional(join(*event.argv)) : std::nullopt},
        {"comm", event.comm},
        {"pid", number(event.pid)},
        {"old_pid", event.old_pid ? number(*event.old_pid) : std::nullopt},
        {"uid", number(event.uid)},
        {"retval", event.retval ? number(*event.retval) : std::nullopt},
    };
}

// Why an exec's hooks before it and after it disagree on a field, when they split exactly so: the
// exec itself changes what the task shows.
std::string expected_difference(const FieldComparison &field, const Report &report)
{
    std::optional<std::string> before, after;
    for (const auto &value : field.values) {
        const auto hook =
            std::ranges::find(report.hooks, value.hook, [](const HookSummary &h) { return h.run.name; });
        if (hook == report.hooks.end() || hook->run.phase == ExecPhase::on_return)
            continue;  // a return hook sees one side or the other, as the exec went
        auto &side = hook->run.phase == ExecPhase::before_exec ? before : after;
        if (side && *side != value.value)
            return "";
        side = value.value;
    }
    if (!before || !after || *before == *after)
        return "";
    if (field.field == "comm")
        return "expected: the exec gives the task the new program's name, which the hooks after it see";
    if (field.field == "pid")
        return "expected: a thread's exec takes its process's pid (the kernel's de_thread), as the hooks after "
               "it see";
    if (field.field == "argv")
        return "expected: the hooks after the exec read the new image's argv from its memory (a script's names "
               "its "
               "interpreter), each to its own limits";
    if (field.field == "filename")
        return "expected: the hooks before the exec see the name passed, those after it the file exec'd";
    return "";
}

std::vector<FieldComparison> compare_fields(const Recording &recording, const std::vector<size_t> &events,
                                            const Report &report)
{
    std::vector<FieldComparison> fields;
    for (size_t index : events) {
        const ExecEvent &event = recording.events[index];
        const auto hook = std::ranges::find(recording.hooks, event.hook, &HookRun::id);
        for (auto &[field, value] : field_values(event, hook == recording.hooks.end() ? nullptr : &*hook)) {
            if (!value)
                continue;
            auto it = std::find_if(fields.begin(), fields.end(), [&](const auto &f) { return f.field == field; });
            if (it == fields.end()) {
                fields.push_back({field, {}, true, {}});
                it = std::prev(fields.end());
            }
            const bool truncated =
                (field == "filename" && event.filename_truncated) || (field == "argv" && event.argv_truncated);
            it->values.push_back({hook_name(report, event.hook), *value, truncated});
        }
    }
    for (auto &field : fields) {
        field.agree = std::all_of(field.values.begin(), field.values.end(),
                                  [&](const FieldValue &v) { return v.value == field.values.front().value; });
        if (!field.agree && recording.event == "execve")
            field.expected = expected_difference(field, report);
    }
    return fields;
}

json field_json(const FieldComparison &field)
{
    json values = json::array();
    for (const auto &value : field.values)
        values.push_back(
            {{"hook", value.hook}, {"value", to_valid_utf8(value.value)}, {"truncated", value.truncated}});
    return {{"field", field.field},
            {"agree", field.agree},
            {"expected", field.expected.empty() ? json() : json(field.expected)},
            {"values", std::move(values)}};
}

}  // namespace

std::optional<double> ns_per_run(const HookRun &run)
{
    if (!run.run_count || !run.run_time_ns || *run.run_count == 0)
        return std::nullopt;
    return static_cast<double>(*run.run_time_ns) / static_cast<double>(*run.run_count);
}

std::string_view occurrence_noun(std::string_view event)
{
    if (event == "execve")
        return "exec";
    return event.find('-') == std::string_view::npos ? "call" : "occurrence";
}

std::string hook_name(const Report &report, std::uint32_t id)
{
    for (const auto &hook : report.hooks)
        if (hook.run.id == id)
            return hook.run.name;
    return fmt::format("hook {}", id);
}

Report build_report(const Recording &recording)
{
    Report report;
    report.kernel = recording.kernel;
    report.event = recording.event;
    report.workload = recording.workload;
    report.execs_known = recording.execs_known;
    for (const auto &hook : recording.hooks)
        report.hooks.push_back({hook});
    auto summary_of = [&](std::uint32_t id) -> HookSummary * {
        for (auto &hook : report.hooks)
            if (hook.run.id == id)
                return &hook;
        return nullptr;
    };
    for (const auto &event : recording.events)
        if (HookSummary *hook = summary_of(event.hook)) {
            hook->events++;
            hook->with_filename += event.filename.has_value();
            hook->with_argv += event.argv.has_value();
            hook->with_retval += event.retval.has_value();
            hook->with_old_pid += event.old_pid.has_value();
        }

    const Correlation correlation = correlate(recording);
    std::map<std::vector<std::string>, std::size_t> orders;
    for (size_t i = 0; i < correlation.execs.size(); i++) {
        const auto &events = correlation.events_of[i];
        ExecReport exec{correlation.execs[i], {}, {}, {}, {}};
        for (auto &hook : report.hooks) {
            CoverageCell cell;
            cell.count = static_cast<size_t>(std::count_if(events.begin(), events.end(), [&](size_t index) {
                return recording.events[index].hook == hook.run.id;
            }));
            hook.explained += cell.count;
            hook.execs_seen += cell.count > 0;
            if (cell.count == 0) {
                cell.cause = absence_cause(hook.run, exec.exec, recording.event);
                report.unknown_causes += cell.cause.empty();
            }
            exec.coverage.push_back(std::move(cell));
        }
        std::vector<std::string> order;
        for (size_t index : events) {
            const ExecEvent &event = recording.events[index];
            const std::string name = hook_name(report, event.hook);
            exec.timeline.push_back({name, event.ktime_ns - recording.events[events.front()].ktime_ns, event.cpu,
                                     event.pid, exec.exec.created != 0 && event.pid == exec.exec.created});
            order.push_back(name);
            if ((event.filename_truncated || event.argv_truncated) &&
                std::find(exec.truncated_by.begin(), exec.truncated_by.end(), name) == exec.truncated_by.end())
                exec.truncated_by.push_back(name);
        }
        if (!order.empty())
            orders[order]++;
        exec.fields = compare_fields(recording, events, report);
        report.execs.push_back(std::move(exec));
    }
    for (size_t index : correlation.unexplained)
        report.unexplained.push_back(recording.events[index]);
    for (auto &[hooks, count] : orders)
        report.typical_order.push_back({hooks, count});
    std::stable_sort(report.typical_order.begin(), report.typical_order.end(),
                     [](const auto &a, const auto &b) { return a.execs > b.execs; });
    return report;
}

json report_to_json(const Report &report)
{
    auto optional = [](const auto &value) { return value ? json(*value) : json(); };
    json hooks = json::array();
    for (const auto &hook : report.hooks) {
        const HookRun &run = hook.run;
        json cost{{"emitted", run.emitted},
                  {"dropped", run.dropped},
                  {"run_count", optional(run.run_count)},
                  {"run_time_ns", optional(run.run_time_ns)},
                  {"ns_per_run", optional(ns_per_run(run))},
                  {"recursion_misses", optional(run.recursion_misses)}};
        hooks.push_back({{"hook", run.name},
                         {"phase", phase_name(run.phase)},
                         {"attached", run.attached},
                         {"attach_point", run.attach_point},
                         {"note", run.note},
                         {"not_attached", run.not_attached},
                         {"entry_call", run.entry_call.empty() ? json() : json(run.entry_call)},
                         {"filename_from", run.filename_from.empty() ? json() : json(run.filename_from)},
                         {"argv_from", run.argv_from.empty() ? json() : json(run.argv_from)},
                         {"events", hook.events},
                         {"explained", hook.explained},
                         {"execs_seen", hook.execs_seen},
                         {"reads", run.values ? json(run.values->summary()) : json()},
                         {"filled",
                          {{"filename", hook.with_filename},
                           {"argv", hook.with_argv},
                           {"retval", hook.with_retval},
                           {"old_pid", hook.with_old_pid}}},
                         {"cost", std::move(cost)}});
    }
    json execs = json::array();
    for (const auto &exec : report.execs) {
        json coverage = json::object();
        for (size_t i = 0; i < report.hooks.size(); i++) {
            const auto &cell = exec.coverage[i];
            coverage[report.hooks[i].run.name] = {{"count", cell.count},
                                                  {"cause", cell.count ? json() : json(cell.cause)}};
        }
        json fields = json::array();
        for (const auto &field : exec.fields)
            fields.push_back(field_json(field));
        json timeline = json::array();
        for (const auto &entry : exec.timeline)
            timeline.push_back({{"hook", entry.hook},
                                {"offset_ns", entry.offset_ns},
                                {"cpu", entry.cpu},
                                {"pid", entry.pid},
                                {"in_child", entry.in_child}});
        json known = to_json(exec.exec);
        known["path"] = to_valid_utf8(exec.exec.path);
        known["argv"] = json::array();
        for (const auto &arg : exec.exec.argv)
            known["argv"].push_back(to_valid_utf8(arg));
        known["errno_name"] =
            exec.exec.error && *exec.exec.error > 0 ? json(errno_name(*exec.exec.error)) : json();
        known["coverage"] = std::move(coverage);
        known["fields"] = std::move(fields);
        known["timeline"] = std::move(timeline);
        known["truncated_by"] = exec.truncated_by;
        execs.push_back(std::move(known));
    }
    json unexplained = json::array();
    for (const auto &event : report.unexplained) {
        json e = to_json(event);
        e["hook"] = hook_name(report, event.hook);
        e["comm"] = to_valid_utf8(event.comm);
        e["filename"] = event.filename ? json(to_valid_utf8(*event.filename)) : json();
        e.erase("argv");
        unexplained.push_back(std::move(e));
    }
    json orders = json::array();
    for (const auto &order : report.typical_order)
        orders.push_back({{"hooks", order.hooks}, {"execs", order.execs}});
    return {{"probectl_compare", 1},
            {"kernel", report.kernel},
            {"event", report.event},
            {"workload", to_valid_utf8(report.workload)},
            {"execs_known", report.execs_known},
            {"hooks", std::move(hooks)},
            {"execs", std::move(execs)},
            {"unexplained", std::move(unexplained)},
            {"typical_order", std::move(orders)},
            {"unknown_causes", report.unknown_causes}};
}

}  // namespace probectl::compare
