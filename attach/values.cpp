#include "attach/values.h"

#include "loader/btf_query.h"
#include "loader/kernel_facts.h"
#include "loader/text.h"
#include "loader/value_source.h"

#include <fmt/format.h>

#include <algorithm>

#include "probes/event.h"

namespace probectl {
namespace {

// The kernel's BTF, parsed once per process: targets -v describes many attach points.
const Expected<BtfFile> &kernel_btf()
{
    static const Expected<BtfFile> btf = BtfFile::kernel();
    return btf;
}

Expected<std::string> tracepoint_format(std::string_view tracepoint)
{
    auto tracefs = ensure_tracefs();
    if (!tracefs)
        return std::unexpected(tracefs.error());
    const auto colon = tracepoint.find(':');
    const std::string path =
        fmt::format("{}/events/{}/{}/format", *tracefs, tracepoint.substr(0, colon), tracepoint.substr(colon + 1));
    std::string text = read_text_file(path);
    if (text.empty())
        return fail(ErrorKind::target_not_found, fmt::format("{} cannot be read", path),
                    "is the tracepoint in available_events?", ENOENT);
    return text;
}

// A kernel function's arguments (at most max_args) and return value from its BTF prototype; where BTF
// does not describe it (a compiler clone such as vfs_read.isra.0, a module's function), the registers
// as integers when the hook reads registers.
Expected<ValueList> function_values(const std::string &function, std::uint32_t max_args, bool entry_args,
                                    bool return_value, bool registers)
{
    const auto &btf = kernel_btf();
    auto described = btf ? btf->function_values(function, max_args, return_value)
                         : Expected<ValueList>(std::unexpected(btf.error()));
    if (described && !entry_args) {  // kretprobe: the arguments are gone at the return
        described->fields.clear();
        described->unread.clear();
    }
    if (described || !registers)
        return described;
    ValueList read = register_values(function, entry_args);
    read.source = fmt::format("the registers at {} (not described by BTF)", function);
    return read;
}

// kprobe, kretprobe, fentry, fexit, kprobe.multi. kprobes and function probes (kprobe.multi) read
// the saved registers: six arguments at most, and the registers where BTF has no prototype.
Expected<ValueList> kernel_function_values(const HookInfo &hook, const std::string &function)
{
    const bool registers = hook.mechanism == Mechanism::kprobe || hook.mechanism == Mechanism::fprobe;
    return function_values(function, registers ? kRegisterArgs : PCTL_VALUES, hook.entry_args, hook.return_value,
                           registers);
}

Expected<ValueList> syscall_values(const std::string &syscall)
{
    auto format = tracepoint_format("syscalls:sys_enter_" + syscall);
    if (!format) {
        ValueList registers = register_values(syscall, true);
        registers.source =
            fmt::format("the registers of syscall {} (its sys_enter format is unreadable)", syscall);
        return registers;
    }
    return syscall_values_from_format(*format, syscall);
}

Expected<ValueList> tracepoint_values(const std::string &tracepoint)
{
    auto format = tracepoint_format(tracepoint);
    if (!format)
        return std::unexpected(format.error());
    return values_from_format(*format, tracepoint);
}

Expected<ValueList> raw_tracepoint_values(const std::string &tracepoint, std::string_view hook)
{
    const auto &btf = kernel_btf();
    if (!btf)
        return fail(
            ErrorKind::target_untraceable,
            fmt::format("{} learns {}'s arguments from kernel BTF, and this kernel has none", hook, tracepoint),
            "use --type tracepoint, whose format file describes them");
    return btf->tracepoint_values(tracepoint);
}

Expected<ValueList> lsm_hook_values(const std::string &hook)
{
    const auto &btf = kernel_btf();
    if (!btf)
        return std::unexpected(btf.error());
    auto described = btf->function_values("bpf_lsm_" + hook, PCTL_VALUES, false);
    if (described)
        described->source = fmt::format("the BTF prototype of bpf_lsm_{}", hook);
    return described;
}

}  // namespace

Expected<ValueList> describe_target(const TargetEntry &entry)
{
    switch (entry.kind) {
    case TargetClass::kernel_function: return function_values(entry.name, PCTL_VALUES, true, true, true);
    case TargetClass::syscall: return syscall_values(entry.name);
    case TargetClass::tracepoint: return tracepoint_values(entry.name);
    case TargetClass::raw_tracepoint: return raw_tracepoint_values(entry.name, "tp_btf");
    case TargetClass::lsm_hook: return lsm_hook_values(entry.name);
    case TargetClass::user_function: return register_values(entry.name.substr(entry.name.rfind(':') + 1), true);
    }
    return fail(ErrorKind::internal, "an attach point of no known kind");
}

bool captures_generically(const Target &target, const ResolvedTarget &resolved)
{
    if (target.kind == Target::Kind::exec_event)
        return false;
    if (resolved.sites.empty())
        return resolved.layout.layout == PCTL_LAYOUT_NONE;
    // a hook on many functions: when none of them is on the exec path
    return std::ranges::none_of(resolved.sites, [](const Site &site) { return site.layout != PCTL_LAYOUT_NONE; });
}

Expected<void> describe_into(const HookInfo &hook, ResolvedTarget &resolved)
{
    if (hook.target_kind == TargetKind::kernel_functions && resolved.syscall.empty()) {
        for (const auto &site : resolved.sites) {
            auto values = kernel_function_values(hook, site.name);
            if (!values)
                return std::unexpected(values.error());
            resolved.site_values.push_back(std::move(*values));
        }
        return {};
    }
    if (hook.target_kind == TargetKind::user_functions && resolved.syscall.empty()) {
        resolved.values = register_values("each function", true);
        return {};
    }
    auto values = describe_values(hook, resolved);
    if (!values)
        return std::unexpected(values.error());
    if (hook.target_kind == TargetKind::kernel_functions)  // a syscall's wrapper: its one site's list
        resolved.site_values.push_back(std::move(*values));
    else
        resolved.values = std::move(*values);
    return {};
}

Expected<ValueList> describe_values(const HookInfo &hook, const ResolvedTarget &resolved)
{
    // A syscall seen elsewhere than its tracepoint or ksyscall: the syscall's own arguments, by the
    // sys_enter format's names, read from the user's registers (or libc's wrapper's); it returns long.
    if (!resolved.syscall.empty() && hook.target_kind != TargetKind::tracepoint &&
        hook.target_kind != TargetKind::syscall) {
        auto values = hook.entry_args ? syscall_values(resolved.syscall) : Expected<ValueList>(ValueList{});
        if (!values)
            return values;
        if (!hook.entry_args)
            values->source = hook.target_kind == TargetKind::user_function
                                 ? fmt::format("the return of libc's {}", resolved.symbol)
                                 : fmt::format("the return of syscall {}", resolved.syscall);
        // The kernel's syscall returns long. libc's function of that name is described nowhere (no BTF,
        // no debug information): read as int, which most return (read's and write's counts fit).
        const bool libc = hook.target_kind == TargetKind::user_function;
        if (hook.return_value)
            values->ret = libc ? ValueField("ret", "int", ValueType::signed_int, 4, 0)
                               : ValueField("ret", "long", ValueType::signed_int, 8, 0);
        return values;
    }
    switch (hook.target_kind) {
    case TargetKind::kernel_function: return kernel_function_values(hook, resolved.attach_point);
    case TargetKind::syscall: return syscall_values(resolved.attach_point);
    case TargetKind::tracepoint: return tracepoint_values(resolved.attach_point);
    case TargetKind::raw_tracepoint: return raw_tracepoint_values(resolved.attach_point, hook.name);
    case TargetKind::user_function: return register_values(resolved.symbol, hook.entry_args);
    case TargetKind::lsm_hook: return lsm_hook_values(resolved.attach_point);
    case TargetKind::kernel_functions:
    case TargetKind::user_functions: break;
    }
    return fail(ErrorKind::internal, fmt::format("{} has no generic capture", hook.name));
}

}  // namespace probectl
