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

const Expected<LibcFunctions> &libc_functions()
{
    static const Expected<LibcFunctions> libc = []() -> Expected<LibcFunctions> {
        auto path = resolve_binary("libc");
        if (!path)
            return std::unexpected(path.error());
        auto functions = list_elf_functions(*path);
        if (!functions)
            return std::unexpected(functions.error());
        return LibcFunctions{*path, std::move(*functions)};
    }();
    return libc;
}

Expected<void> syscall_hook_fits(const HookInfo &hook, const SyscallEvent &event, const KernelSymbols &symbols)
{
    switch (hook.target_kind) {
    case TargetKind::kernel_function:
    case TargetKind::kernel_functions:
        if (auto problem = kernel_function_problem(hook, symbols, event.wrapper))
            return fail(ErrorKind::target_untraceable,
                        fmt::format("{} cannot attach to {}, where the {} syscall enters: {}", hook.name,
                                    event.wrapper, event.name, *problem),
                        fmt::format("the tracepoint sees every syscall: --type tracepoint {}", event.name));
        return {};
    case TargetKind::syscall: return {};
    case TargetKind::tracepoint:
        if (symbols.has_tracepoint("syscalls", "sys_enter_" + event.kernel_name) == false)
            return fail(ErrorKind::target_untraceable,
                        fmt::format("this kernel has no tracepoint syscalls:sys_enter_{} (built without "
                                    "CONFIG_FTRACE_SYSCALLS, or the syscall has none)",
                                    event.kernel_name),
                        fmt::format("--type raw_tp {} sees it at sys_enter", event.name));
        return {};
    case TargetKind::raw_tracepoint:
        if (symbols.btf_available() && !symbols.has_btf_typedef("btf_trace_sys_enter"))
            return fail(
                ErrorKind::target_untraceable,
                fmt::format("{} sees syscalls at the raw tracepoint sys_enter, which this kernel's BTF lacks",
                            hook.name),
                fmt::format("--type tracepoint {}", event.name));
        if (!symbols.btf_available() && hook.needs_btf)
            return fail(ErrorKind::target_untraceable,
                        fmt::format("{} needs kernel BTF, and this kernel has none", hook.name),
                        fmt::format("--type raw_tp {}", event.name));
        return {};
    case TargetKind::user_function:
    case TargetKind::user_functions: {
        const auto &libc = libc_functions();
        if (!libc)
            return std::unexpected(libc.error());
        if (!libc->functions.names.contains(event.name))
            return fail(ErrorKind::target_untraceable,
                        fmt::format("{} sees a syscall at libc's function of its name, and {} has no {}",
                                    hook.name, libc->path, event.name),
                        fmt::format("a program may still make the syscall itself; --type tracepoint {} sees it",
                                    event.name));
        return {};
    }
    case TargetKind::lsm_hook:
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} attaches to LSM hooks, and the {} syscall is none", hook.name, event.name),
                    "probectl targets lists the LSM hooks (file_open, ...); probectl explain names them too");
    }
    return fail(ErrorKind::internal, "unknown target kind");
}

Expected<ResolvedTarget> resolve_syscall_event(const HookInfo &hook, const SyscallEvent &event,
                                               const KernelSymbols &symbols)
{
    if (auto fits = syscall_hook_fits(hook, event, symbols); !fits)
        return std::unexpected(fits.error());
    ResolvedTarget resolved;
    switch (hook.target_kind) {
    case TargetKind::kernel_function:
    case TargetKind::kernel_functions:
        resolved.attach_point = event.wrapper;
        resolved.layout.syscall_regs = hook.entry_args;  // a return probe has no arguments to read
        resolved.layout.func_nargs = static_cast<std::uint32_t>(symbols.btf_func_nargs(event.wrapper).value_or(1));
        resolved.layout.ret_size = 8;  // long
        if (hook.target_kind == TargetKind::kernel_functions)
            resolved.sites.push_back({.name = event.wrapper});
        break;
    case TargetKind::syscall: resolved.attach_point = event.kernel_name; break;
    case TargetKind::tracepoint: resolved.attach_point = "syscalls:sys_enter_" + event.kernel_name; break;
    case TargetKind::raw_tracepoint:  // sys_enter sees every syscall: filtered by the number
        resolved.attach_point = "sys_enter";
        resolved.layout.syscall_regs = true;
        resolved.layout.syscall_nr = event.number;
        break;
    case TargetKind::user_function:
    case TargetKind::user_functions: {
        const std::string &libc = libc_functions()->path;
        auto found = find_elf_function(libc, event.name);
        if (!found)
            return std::unexpected(found.error());
        resolved.attach_point = libc;
        resolved.symbol = event.name;
        resolved.offset = found->file_offset;
        if (found->ifunc)
            resolved.note = ifunc_note(event.name, libc) + " (and the vDSO may answer without a syscall)";
        if (hook.target_kind == TargetKind::user_functions)
            resolved.sites.push_back({.name = event.name, .offset = found->file_offset});
        break;
    }
    case TargetKind::lsm_hook: break;  // refused above
    }
    resolved.syscall = event.kernel_name;  // its arguments: as sys_enter_<kernel name> describes them
    return resolved;
}

}  // namespace probectl
