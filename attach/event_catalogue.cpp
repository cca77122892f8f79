#include "attach/event_catalogue.h"

#include <fmt/format.h>

#include <algorithm>

namespace probectl {

namespace {

constexpr std::string_view kEveryConnect = "every socket's connect (UDP, UNIX, IPv6 too): TCP over IPv4 is one";
constexpr std::string_view kEveryStateChange =
    "every TCP state change, IPv6's too: the connect is the change from CLOSE to SYN_SENT";

}  // namespace

const std::vector<CatalogueEvent> &event_catalogue()
{
    static const std::vector<CatalogueEvent> catalogue{
        {.name = "process-exit",
         .what = "a thread exits: its last moment in the kernel, before its parent is told",
         .points = {{TargetKind::kernel_function, "do_exit"},
                    {TargetKind::kernel_functions, "do_exit"},
                    {TargetKind::syscall, "exit_group", "",
                     "a process's exit_group only: a thread's exit and a death by a signal do not pass there"},
                    {TargetKind::tracepoint, "sched:sched_process_exit"},
                    {TargetKind::raw_tracepoint, "sched_process_exit"},
                    {TargetKind::lsm_hook, "",
                     "no LSM hook runs in the exiting task (task_free runs when the last reference to it "
                     "goes, in another task)"},
                    {TargetKind::user_function, "libc:_exit"},  // exit() ends in _exit() too
                    {TargetKind::user_functions, "libc:exit,_exit"}},
         .unseen = {{"kretprobe", "do_exit never returns: a return probe there never fires"},
                    {"uretprobe", "libc's _exit never returns: a return probe there never fires"}}},
        {.name = "process-fork",
         .what = "a process or thread is created: the parent's call, and the child's first view",
         .points = {{TargetKind::kernel_function, "kernel_clone"},
                    {TargetKind::kernel_functions, "kernel_clone"},
                    {TargetKind::syscall, "clone", "",
                     "clone only: glibc 2.34 and later create threads with clone3, and vfork has its own"},
                    {TargetKind::tracepoint, "sched:sched_process_fork"},
                    {TargetKind::raw_tracepoint, "sched_process_fork"},
                    {TargetKind::lsm_hook, "task_alloc"},
                    {TargetKind::user_function, "libc:fork"},
                    {TargetKind::user_functions, "libc:fork,vfork,posix_spawn"}}},
        {.name = "tcp-connect",
         .what = "a TCP socket (IPv4) starts to connect: the SYN about to go out",
         .points = {{TargetKind::kernel_function, "tcp_v4_connect"},
                    {TargetKind::kernel_functions, "tcp_v4_connect"},
                    {TargetKind::syscall, "connect", "", kEveryConnect},
                    {TargetKind::tracepoint, "sock:inet_sock_set_state", "", kEveryStateChange},
                    {TargetKind::raw_tracepoint, "inet_sock_set_state", "", kEveryStateChange},
                    {TargetKind::lsm_hook, "socket_connect", "", kEveryConnect},
                    // the syscall's name: libc's connect, its arguments and return value typed as the syscall's
                    {TargetKind::user_function, "connect", "", kEveryConnect},
                    {TargetKind::user_functions, "connect", "", kEveryConnect}}},
    };
    return catalogue;
}

const CatalogueEvent *find_catalogue_event(std::string_view name)
{
    const auto &catalogue = event_catalogue();
    const auto found = std::ranges::find(catalogue, name, &CatalogueEvent::name);
    return found == catalogue.end() ? nullptr : &*found;
}

Expected<ResolvedTarget> resolve_catalogue_event(const HookInfo &hook, const CatalogueEvent &event,
                                                 const KernelSymbols &symbols, const ResolveOptions &options)
{
    if (const auto unseen = std::ranges::find(event.unseen, hook.name, &UnseenBy::hook);
        unseen != event.unseen.end())
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} cannot see {}: {}", hook.name, event.name, unseen->why));
    const auto point = std::ranges::find(event.points, hook.target_kind, &EventPoint::kind);
    if (point == event.points.end() || point->target.empty())
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} has no attach point for {}{}", hook.name, event.name,
                                point == event.points.end() ? "" : fmt::format(": {}", point->why)),
                    fmt::format("probectl explain {} shows where the other hook types see it", event.name));
    auto target = parse_target(point->target);
    if (!target)
        return std::unexpected(target.error());
    auto resolved = resolve_target(hook, *target, symbols, options);
    if (!resolved)
        return fail(resolved.error().kind, fmt::format("for {}, {}", event.name, resolved.error().message),
                    resolved.error().hint);
    if (!point->note.empty())
        resolved->note = fmt::format("{}: {} sees {}", event.name, hook.name, point->note);
    return resolved;
}

}  // namespace probectl
