#include "compare/causes.h"

#include <fmt/format.h>

#include <cstring>

namespace probectl::compare {

std::string errno_name(int err)
{
    if (err == kErrnoUnknown)
        return "errno unknown";
    const char *name = strerrorname_np(err);
    return name ? name : fmt::format("errno {}", err);
}

namespace {

// Why an attached hook's event is missing when nothing about the call explains it: the ring buffer
// was full, or the kernel skipped the program (bpf_prog_info's recursion_misses: a run began on a
// CPU where one was still in progress, as where a preemptible tracepoint, like 6.14's and later
// kernels' syscall tracepoints, lets another task's syscall in).
std::string lost(const HookRun &hook)
{
    if (hook.dropped > 0)
        return fmt::format("lost: the ring buffer was full ({} of its events dropped)", hook.dropped);
    if (hook.recursion_misses.value_or(0) > 0)
        return fmt::format("missed: the kernel skipped the program {} time(s), each when it began on a CPU where "
                           "a run of it was still in progress (recursion_misses)",
                           *hook.recursion_misses);
    return "";
}

// A syscall's call: every hook sees it where it enters or leaves the kernel, except libc's wrapper,
// which a raw syscall(2) passes by.
std::string call_absence_cause(const HookRun &hook, const KnownExec &call)
{
    if (auto declared = call.unseen.find(std::string(target_kind_name(hook.kind))); declared != call.unseen.end())
        return declared->second;
    const bool in_libc = hook.kind == TargetKind::user_function || hook.kind == TargetKind::user_functions;
    if (in_libc && call.raw_syscall)
        return fmt::format("attached to libc's {}; this call was a raw syscall(2), which never enters it",
                           hook.entry_call.empty() ? call.syscall : hook.entry_call);
    return lost(hook);
}

}  // namespace

std::string absence_cause(const HookRun &hook, const KnownExec &exec, std::string_view event)
{
    if (!hook.attached)
        return fmt::format("not attached: {}", hook.not_attached);
    if (event != "execve")
        return call_absence_cause(hook, exec);
    // Entry hooks of one system call (the execve tracepoint, ksyscall, libc's execve) never see another.
    if (!hook.entry_call.empty() && !exec.syscall.empty() && exec.syscall != hook.entry_call)
        return fmt::format("attached to {} ({}); this exec called {}, which does not pass through it",
                           hook.entry_call, hook.attach_point, exec.syscall);
    if (!exec.error)
        return hook.phase == ExecPhase::after_exec
                   ? fmt::format("post-exec hook, and nothing shows this exec succeeded: it probably failed "
                                 "before {}",
                                 hook.attach_point)
                   : "";
    if (*exec.error != 0) {
        if (hook.phase == ExecPhase::after_exec)
            return fmt::format("post-exec hook: a failed exec ({}) never reaches {}", errno_name(*exec.error),
                               hook.attach_point);
        // On the exec path common to every exec call (a kernel function, an LSM hook): a failed open
        // ends the exec before it.
        if (hook.entry_call.empty())
            return fmt::format("the exec failed ({}) before it reached {}", errno_name(*exec.error),
                               hook.attach_point);
    } else if (hook.phase == ExecPhase::on_return && hook.kind == TargetKind::user_function) {
        return fmt::format("{} fires only when {} returns, i.e. when it fails: a successful exec never returns",
                           hook.name, hook.entry_call.empty() ? hook.attach_point : hook.entry_call);
    }
    return lost(hook);
}

}  // namespace probectl::compare
