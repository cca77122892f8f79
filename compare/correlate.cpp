#include "compare/correlate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

namespace probectl::compare {
namespace {

std::vector<size_t> by_time(const std::vector<ExecEvent> &events)
{
    std::vector<size_t> order(events.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return events[a].ktime_ns < events[b].ktime_ns; });
    return order;
}

const HookRun *hook_of(const Recording &recording, std::uint32_t id)
{
    for (const auto &hook : recording.hooks)
        if (hook.id == id)
            return &hook;
    return nullptr;
}

int phase_rank(ExecPhase phase)
{
    switch (phase) {
    case ExecPhase::before_exec: return 0;
    case ExecPhase::after_exec: return 1;
    case ExecPhase::on_return: return 2;
    }
    return 0;
}

// What the events of one inferred exec tell about it: the path and argv as the caller passed them
// (entry hooks), the thread that called, and the outcome (a post-exec hook ran: success; a kernel
// return hook's value: the errno).
KnownExec describe_inferred(const Recording &recording, const std::vector<size_t> &events, size_t number)
{
    KnownExec exec;
    exec.id = fmt::format("#{}", number);
    exec.scenario = "observed";
    exec.description = "an exec of the command's process tree";
    const ExecEvent &first = recording.events[events.front()];
    exec.tgid = first.tgid;
    exec.tid = first.pid;
    exec.uid = first.uid;
    exec.start_ns = first.ktime_ns;
    exec.end_ns = recording.events[events.back()].ktime_ns + 1;
    for (size_t index : events) {
        const ExecEvent &event = recording.events[index];
        const HookRun *hook = hook_of(recording, event.hook);
        if (!hook)
            continue;
        if (hook->phase == ExecPhase::before_exec) {
            exec.tid = event.pid;
            if (exec.path.empty() && event.filename)
                exec.path = *event.filename;
            if (exec.argv.empty() && event.argv)
                exec.argv = *event.argv;
            if (exec.syscall.empty() && !hook->entry_call.empty())
                exec.syscall = hook->entry_call;
        }
        if (hook->phase == ExecPhase::after_exec) {
            exec.error = 0;
            if (event.old_pid)
                exec.tid = *event.old_pid;
        }
        if (hook->phase == ExecPhase::on_return && hook->kind == TargetKind::kernel_function && event.retval &&
            !exec.error)
            exec.error = *event.retval < 0 ? static_cast<int>(-*event.retval) : 0;
    }
    return exec;
}

Correlation infer(const Recording &recording)
{
    Correlation out;
    std::map<std::uint32_t, std::vector<std::vector<size_t>>> groups;  // tgid → its execs' events
    // tgid → (hook, site) pairs seen, max phase. A hook on many functions (kprobe.multi) fires once
    // at each: only the same function again starts another exec.
    std::map<std::uint32_t, std::pair<std::set<std::uint64_t>, int>> open;
    for (size_t index : by_time(recording.events)) {
        const ExecEvent &event = recording.events[index];
        const HookRun *hook = hook_of(recording, event.hook);
        if (!hook) {
            out.unexplained.push_back(index);
            continue;
        }
        auto &[seen, max_rank] = open[event.tgid];
        const int rank = phase_rank(hook->phase);
        auto &execs = groups[event.tgid];
        const std::uint64_t at = std::uint64_t(event.hook) << 32 | event.site;
        if (execs.empty() || seen.contains(at) || rank < max_rank) {
            execs.emplace_back();
            seen.clear();
            max_rank = 0;
        }
        execs.back().push_back(index);
        seen.insert(at);
        max_rank = std::max(max_rank, rank);
    }
    // Number the execs in the order they began.
    std::vector<std::vector<size_t>> all;
    for (auto &[tgid, execs] : groups)
        for (auto &events : execs)
            all.push_back(std::move(events));
    std::sort(all.begin(), all.end(), [&](const auto &a, const auto &b) {
        return recording.events[a.front()].ktime_ns < recording.events[b.front()].ktime_ns;
    });
    for (auto &events : all) {
        out.execs.push_back(describe_inferred(recording, events, out.execs.size() + 1));
        out.events_of.push_back(std::move(events));
    }
    return out;
}

}  // namespace

Correlation correlate(const Recording &recording)
{
    if (!recording.execs_known)
        return infer(recording);
    Correlation out;
    out.execs = recording.execs;
    out.events_of.resize(out.execs.size());
    for (size_t index : by_time(recording.events)) {
        const ExecEvent &event = recording.events[index];
        auto owner = std::find_if(out.execs.begin(), out.execs.end(), [&](const KnownExec &exec) {
            return event.tgid == exec.tgid && event.ktime_ns >= exec.start_ns && event.ktime_ns < exec.end_ns;
        });
        if (owner == out.execs.end())
            out.unexplained.push_back(index);
        else
            out.events_of[static_cast<size_t>(owner - out.execs.begin())].push_back(index);
    }
    return out;
}

}  // namespace probectl::compare
