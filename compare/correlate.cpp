#include "compare/correlate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <numeric>
#include <set>

#include "compare/report.h"

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

// What the events of one inferred occurrence tell about it (a syscall's call, a declared event's):
// the thread, the first string a hook read (a path), and for a syscall, the outcome from the
// kernel's return value (a negative errno).
// What a return hook's value says of an inferred outcome, over what is known: a kernel's return is
// the errno (0 when not negative); libc's -1 says only that it failed, and gives way to a kernel's.
void take_return(std::optional<int> &error, bool kernel, std::int64_t ret)
{
    if (kernel && (!error || *error == kErrnoUnknown))
        error = ret < 0 && ret > -4096 ? static_cast<int>(-ret) : 0;
    else if (!kernel && ret == -1 && !error)
        error = kErrnoUnknown;
}

// An inferred occurrence's number, thread and window: from its first event to just after its last.
KnownExec observed(const Recording &recording, const std::vector<size_t> &events, size_t number)
{
    KnownExec occurrence;
    occurrence.id = fmt::format("#{}", number);
    occurrence.scenario = "observed";
    const ExecEvent &first = recording.events[events.front()];
    occurrence.tgid = first.tgid;
    occurrence.tid = first.pid;
    occurrence.uid = first.uid;
    occurrence.start_ns = first.ktime_ns;
    occurrence.end_ns = recording.events[events.back()].ktime_ns + 1;
    return occurrence;
}

KnownExec describe_inferred_call(const Recording &recording, const std::vector<size_t> &events, size_t number)
{
    KnownExec call = observed(recording, events, number);
    call.description =
        fmt::format("{} of {} in the command's process tree",
                    occurrence_noun(recording.event) == "call" ? "a call" : "an occurrence", recording.event);
    call.syscall = recording.event;
    for (size_t index : events) {
        const ExecEvent &event = recording.events[index];
        const HookRun *hook = hook_of(recording, event.hook);
        if (!hook || !hook->values || !event.values)
            continue;
        for (size_t i = 0; call.path.empty() && i < hook->values->fields.size() && i < event.values->size(); i++)
            if (is_string(hook->values->fields[i].type) && (*event.values)[i].read && !(*event.values)[i].faulted)
                call.path = (*event.values)[i].text;
        // The syscall's own return: a declared event's kernel function (tcp_v4_connect) returns
        // before the syscall's outcome is known.
        const bool kernel_return =
            occurrence_noun(recording.event) == "call" && hook->phase == ExecPhase::on_return &&
            hook->kind != TargetKind::user_function && hook->kind != TargetKind::user_functions;
        const bool libc_return =
            occurrence_noun(recording.event) == "call" && hook->phase == ExecPhase::on_return && !kernel_return;
        if ((kernel_return || libc_return) && event.retval)
            take_return(call.error, kernel_return, *event.retval);
    }
    return call;
}

// What the events of one inferred exec tell about it: the path and argv as the caller passed them
// (entry hooks), the thread that called, and the outcome (a post-exec hook ran: success; a kernel
// return hook's value: the errno).
KnownExec describe_inferred(const Recording &recording, const std::vector<size_t> &events, size_t number)
{
    KnownExec exec = observed(recording, events, number);
    exec.description = "an exec of the command's process tree";
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
        // libc's execve returns only when the exec failed: -1, the errno aside
        if (hook->phase == ExecPhase::on_return && event.retval)
            take_return(exec.error, hook->kind == TargetKind::kernel_function, *event.retval);
    }
    return exec;
}

// The last path component: "sh" of /usr/bin/sh.
std::string_view base_name(std::string_view path)
{
    return path.substr(path.rfind('/') + 1);
}

// A shell's or execvp's PATH search: failed execs of one name in one process, before a later exec
// of that name by it. Each miss is marked as such, not left as an exec that merely failed.
void mark_path_search(std::vector<KnownExec> &execs)
{
    for (size_t i = 0; i < execs.size(); i++) {
        KnownExec &miss = execs[i];
        // a miss: not there, not allowed, a folder that is none (or libc's -1: the errno unseen)
        const bool missing = miss.error && (*miss.error == ENOENT || *miss.error == EACCES ||
                                            *miss.error == ENOTDIR || *miss.error == kErrnoUnknown);
        if (!missing || miss.path.empty())
            continue;
        for (size_t j = i + 1; j < execs.size(); j++)
            if (execs[j].tgid == miss.tgid && !execs[j].path.empty() && execs[j].path != miss.path &&
                base_name(execs[j].path) == base_name(miss.path)) {
                miss.scenario = "path-search";
                miss.description =
                    fmt::format("a PATH search's miss: {} is not there; {} follows", miss.path, execs[j].path);
                break;
            }
    }
}

Correlation infer(const Recording &recording)
{
    Correlation out;
    // An exec is the process's (a thread's exec takes the leader's pid); a syscall's call is the
    // calling thread's, since threads call at once.
    const bool execs = recording.event == "execve";
    auto owner = [&](const ExecEvent &event) { return execs ? event.tgid : event.pid; };
    std::map<std::uint32_t, std::vector<std::vector<size_t>>> groups;  // owner → its occurrences' events
    // owner → (hook, site) pairs seen, max phase. A hook on many functions (kprobe.multi) fires once
    // at each: only the same function again starts another occurrence.
    std::map<std::uint32_t, std::pair<std::set<std::uint64_t>, int>> open;
    for (size_t index : by_time(recording.events)) {
        const ExecEvent &event = recording.events[index];
        const HookRun *hook = hook_of(recording, event.hook);
        if (!hook) {
            out.unexplained.push_back(index);
            continue;
        }
        auto &[seen, max_rank] = open[owner(event)];
        const int rank = phase_rank(hook->phase);
        auto &occurrences = groups[owner(event)];
        const std::uint64_t at = std::uint64_t(event.hook) << 32 | event.site;
        if (occurrences.empty() || seen.contains(at) || rank < max_rank) {
            occurrences.emplace_back();
            seen.clear();
            max_rank = 0;
        }
        occurrences.back().push_back(index);
        seen.insert(at);
        max_rank = std::max(max_rank, rank);
    }
    // Number the execs in the order they began.
    std::vector<std::vector<size_t>> all;
    for (auto &[who, occurrences] : groups)
        for (auto &events : occurrences)
            all.push_back(std::move(events));
    std::sort(all.begin(), all.end(), [&](const auto &a, const auto &b) {
        return recording.events[a.front()].ktime_ns < recording.events[b.front()].ktime_ns;
    });
    for (auto &events : all) {
        out.execs.push_back(execs ? describe_inferred(recording, events, out.execs.size() + 1)
                                  : describe_inferred_call(recording, events, out.execs.size() + 1));
        out.events_of.push_back(std::move(events));
    }
    if (execs)
        mark_path_search(out.execs);
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
    // An exec is its process's (the exec'ing thread takes the leader's pid); any other occurrence is
    // its thread's: a thread's exit may still be under way when its process's next attempt begins.
    // A fork's is its thread's and its child's.
    const bool execs = recording.event == "execve";
    for (size_t index : by_time(recording.events)) {
        const ExecEvent &event = recording.events[index];
        auto owner = std::find_if(out.execs.begin(), out.execs.end(), [&](const KnownExec &exec) {
            const bool its_own = (event.tgid == exec.tgid && (execs || event.pid == exec.tid)) ||
                                 (exec.created != 0 && event.pid == exec.created);
            return its_own && event.ktime_ns >= exec.start_ns && event.ktime_ns < exec.end_ns;
        });
        if (owner == out.execs.end())
            out.unexplained.push_back(index);
        else
            out.events_of[static_cast<size_t>(owner - out.execs.begin())].push_back(index);
    }
    return out;
}

}  // namespace probectl::compare
