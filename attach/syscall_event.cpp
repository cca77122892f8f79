#include "attach/syscall_event.h"

#include "attach/function_rules.h"
#include "loader/elf_symbols.h"
#include "loader/syscall_numbers.h"

#include <fmt/format.h>

namespace probectl {

std::string_view syscall_wrapper_prefix()
{
#if defined(__aarch64__)
    return "__arm64_sys_";
#else
    return "__x64_sys_";
#endif
}

std::optional<SyscallEvent> find_syscall_event(std::string_view name, const KernelSymbols &symbols)
{
    const auto number = syscall_number(name);
    if (!number)
        return std::nullopt;
    for (const std::string &kernel_name : {std::string(name), fmt::format("new{}", name)}) {
        std::string wrapper = fmt::format("{}{}", syscall_wrapper_prefix(), kernel_name);
        if (symbols.in_kallsyms(wrapper))
            return SyscallEvent{std::string(name), kernel_name, *number, std::move(wrapper)};
    }
    return std::nullopt;
}

namespace {

Expected<ResolvedTarget> at_wrapper(const HookInfo &hook, const SyscallEvent &event, const KernelSymbols &symbols)
{
    if (auto problem = kernel_function_problem(hook, symbols, event.wrapper))
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} cannot attach to {}, where the {} syscall enters: {}", hook.name,
                                event.wrapper, event.name, *problem),
                    fmt::format("the tracepoint sees every syscall: --type tracepoint {}", event.name));
    ResolvedTarget resolved;
    resolved.attach_point = event.wrapper;
    resolved.layout.syscall_regs = hook.entry_args;  // a return probe has no arguments to read
    resolved.layout.func_nargs = static_cast<std::uint32_t>(symbols.btf_func_nargs(event.wrapper).value_or(1));
    resolved.layout.ret_size = 8;  // long
    if (hook.target_kind == TargetKind::kernel_functions)
        resolved.sites.push_back({.name = event.wrapper});
    return resolved;
}

Expected<ResolvedTarget> at_sys_enter(const HookInfo &hook, const SyscallEvent &event,
                                      const KernelSymbols &symbols)
{
    if (symbols.btf_available() && !symbols.has_btf_typedef("btf_trace_sys_enter"))
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} sees syscalls at the raw tracepoint sys_enter, which this kernel's BTF lacks",
                                hook.name),
                    fmt::format("--type tracepoint {}", event.name));
    if (!symbols.btf_available() && hook.needs_btf)
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} needs kernel BTF, and this kernel has none", hook.name),
                    fmt::format("--type raw_tp {}", event.name));
    ResolvedTarget resolved;
    resolved.attach_point = "sys_enter";
    resolved.layout.syscall_regs = true;
    resolved.layout.syscall_nr = event.number;
    return resolved;
}

Expected<ResolvedTarget> in_libc(const HookInfo &hook, const SyscallEvent &event)
{
    auto libc = resolve_binary("libc");
    if (!libc)
        return std::unexpected(libc.error());
    auto found = find_elf_function(*libc, event.name);
    if (!found)
        return fail(
            ErrorKind::target_untraceable,
            fmt::format("{} sees a syscall at libc's function of its name, and {} has no {}", hook.name, *libc,
                        event.name),
            fmt::format("a program may still make the syscall itself; --type tracepoint {} sees it", event.name));
    ResolvedTarget resolved;
    resolved.attach_point = *libc;
    resolved.symbol = event.name;
    resolved.offset = found->file_offset;
    if (found->ifunc)
        resolved.note = ifunc_note(event.name, *libc) + " (and the vDSO may answer without a syscall)";
    if (hook.target_kind == TargetKind::user_functions)
        resolved.sites.push_back({.name = event.name, .offset = found->file_offset});
    return resolved;
}

}  // namespace

Expected<ResolvedTarget> resolve_syscall_event(const HookInfo &hook, const SyscallEvent &event,
                                               const KernelSymbols &symbols)
{
    Expected<ResolvedTarget> resolved = fail(ErrorKind::internal, "unknown target kind");
    switch (hook.target_kind) {
    case TargetKind::kernel_function:
    case TargetKind::kernel_functions: resolved = at_wrapper(hook, event, symbols); break;
    case TargetKind::syscall: {
        ResolvedTarget ksyscall;
        ksyscall.attach_point = event.kernel_name;
        resolved = std::move(ksyscall);
        break;
    }
    case TargetKind::tracepoint: {
        const std::string enter = "sys_enter_" + event.kernel_name;
        if (symbols.has_tracepoint("syscalls", enter) == false)
            return fail(ErrorKind::target_untraceable,
                        fmt::format("this kernel has no tracepoint syscalls:{} (built without "
                                    "CONFIG_FTRACE_SYSCALLS, or the syscall has none)",
                                    enter),
                        fmt::format("--type raw_tp {} sees it at sys_enter", event.name));
        ResolvedTarget tracepoint;
        tracepoint.attach_point = "syscalls:" + enter;
        resolved = std::move(tracepoint);
        break;
    }
    case TargetKind::raw_tracepoint: resolved = at_sys_enter(hook, event, symbols); break;
    case TargetKind::user_function:
    case TargetKind::user_functions: resolved = in_libc(hook, event); break;
    case TargetKind::lsm_hook:
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} attaches to LSM hooks, and the {} syscall is none", hook.name, event.name),
                    "probectl targets lists the LSM hooks (file_open, ...); probectl explain names them too");
    }
    if (resolved)
        resolved->syscall = event.kernel_name;  // its arguments: as sys_enter_<kernel name> describes them
    return resolved;
}

}  // namespace probectl
