#include "attach/targets.h"

#include "attach/function_rules.h"
#include "attach/syscall_event.h"
#include "loader/elf_symbols.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <set>

namespace probectl {
namespace {

bool matches(std::string_view pattern, const std::string &name)
{
    return fnmatch(std::string(pattern).c_str(), name.c_str(), 0) == 0;
}

// The hook types of these target kinds (none: of every kind), in registry order.
std::vector<std::string_view> hooks_of(const std::vector<const HookInfo *> &hooks,
                                       std::initializer_list<TargetKind> kinds,
                                       const std::function<bool(const HookInfo &)> &usable = {})
{
    std::vector<std::string_view> out;
    for (const HookInfo *hook : hooks)
        if ((kinds.size() == 0 || std::ranges::find(kinds, hook->target_kind) != kinds.end()) &&
            (!usable || usable(*hook)))
            out.push_back(hook->name);
    return out;
}

// A kernel function: the hook types that may attach to it by the rules resolution applies; the note
// says why the others may not (the first reason, which for a function in kallsyms is a trampoline's).
TargetEntry kernel_function(const std::string &name, const KernelSymbols &symbols,
                            const std::vector<const HookInfo *> &hooks)
{
    TargetEntry entry{TargetClass::kernel_function, name, {}, {}};
    if (!symbols.in_kallsyms(name)) {
        const auto clones = symbols.clones_of(name);
        entry.note = clones.empty() ? "inlined everywhere: in BTF, not in kallsyms"
                                    : fmt::format("inlined; its compiler clones: {}", fmt::join(clones, ", "));
        return entry;
    }
    std::vector<std::string> problems;
    entry.hooks =
        hooks_of(hooks, {TargetKind::kernel_function, TargetKind::kernel_functions}, [&](const HookInfo &hook) {
            auto problem = kernel_function_problem(hook, symbols, name);
            if (problem && std::ranges::find(problems, *problem) == problems.end())
                problems.push_back(*problem);
            return !problem;
        });
    if (!problems.empty())
        entry.note = fmt::format("{}", fmt::join(problems, "; "));
    else if (name.find('.') != std::string::npos)
        entry.note = "a compiler clone: its arguments may not be the source's";
    return entry;
}

// A syscall: ksyscall's by name; and, as an event (attach/syscall_event.h), each hook type's where it
// sees the syscall: its wrapper, its tracepoint, sys_enter, libc's function of its name.
void add_syscalls(std::string_view pattern, const KernelSymbols &symbols,
                  const std::vector<const HookInfo *> &hooks, std::vector<TargetEntry> &out)
{
    const std::string_view prefix = syscall_wrapper_prefix();
    const auto first = symbols.kallsyms.lower_bound(prefix);
    for (auto it = first; it != symbols.kallsyms.end() && it->starts_with(prefix); ++it) {
        const std::string name(it->substr(prefix.size()));
        if (!matches(pattern, name))
            continue;
        const auto event = find_syscall_event(name, symbols);
        out.push_back({TargetClass::syscall,
                       name,
                       hooks_of(hooks, {},
                                [&](const HookInfo &hook) {
                                    // ksyscall takes any wrapper's name; the others, a syscall of the table
                                    return hook.target_kind == TargetKind::syscall ||
                                           (event && syscall_hook_fits(hook, *event, symbols).has_value());
                                }),
                       {}});
    }
}

void add_tracepoints(std::string_view pattern, const KernelSymbols &symbols,
                     const std::vector<const HookInfo *> &hooks, std::vector<TargetEntry> &out)
{
    std::set<std::string> with_events;
    for (const auto &tracepoint : symbols.tracepoints.value_or(std::set<std::string>{})) {
        const std::string name = tracepoint.substr(tracepoint.find(':') + 1);
        with_events.insert(name);
        if (!matches(pattern, tracepoint) && !matches(pattern, name))  // "sched:sched_sw*" or "sched_sw*"
            continue;
        // BTF tracepoints (tp_btf, raw_tp) exist for it when kernel BTF has btf_trace_<name>; without
        // BTF, raw_tp takes any real tracepoint, which the syscalls category's per-syscall events are not
        // (their raw tracepoints are sys_enter and sys_exit).
        const bool btf = symbols.btf_available();
        const bool raw = btf ? symbols.has_btf_typedef("btf_trace_" + name) : !tracepoint.starts_with("syscalls:");
        std::string note;
        if (!raw)
            note = tracepoint.starts_with("syscalls:")
                       ? "a syscall event, not a raw tracepoint: tp_btf and raw_tp take sys_enter and sys_exit"
                       : "vmlinux's BTF has no btf_trace_ typedef for it (a module's?): no tp_btf or raw_tp";
        out.push_back({TargetClass::tracepoint, tracepoint,
                       hooks_of(hooks, {TargetKind::tracepoint, TargetKind::raw_tracepoint},
                                [&](const HookInfo &hook) {
                                    return hook.target_kind == TargetKind::tracepoint ||
                                           (raw && (!hook.needs_btf || btf));
                                }),
                       note});
    }
    // Without tracefs, which BTF tracepoints also have a tracefs event is unknown: no note then.
    const char *no_event = symbols.tracepoints ? "no tracefs event: BTF tracepoints only" : "";
    constexpr std::string_view kPrefix = "btf_trace_";
    for (auto it = symbols.btf_typedefs.lower_bound(std::string(kPrefix));
         it != symbols.btf_typedefs.end() && it->starts_with(kPrefix); ++it) {
        const std::string name = it->substr(kPrefix.size());
        if (!with_events.contains(name) && matches(pattern, name))
            out.push_back(
                {TargetClass::raw_tracepoint, name, hooks_of(hooks, {TargetKind::raw_tracepoint}), no_event});
    }
}

void add_lsm_hooks(std::string_view pattern, const KernelSymbols &symbols,
                   const std::vector<const HookInfo *> &hooks, std::vector<TargetEntry> &out)
{
    constexpr std::string_view kPrefix = "bpf_lsm_";
    for (auto it = symbols.btf_funcs.lower_bound(std::string(kPrefix));
         it != symbols.btf_funcs.end() && it->first.starts_with(kPrefix); ++it) {
        const std::string name = it->first.substr(kPrefix.size());
        if (symbols.is_lsm_hook(name) && matches(pattern, name))
            out.push_back({TargetClass::lsm_hook, name, hooks_of(hooks, {TargetKind::lsm_hook}), {}});
    }
}

}  // namespace

std::string_view target_class_name(TargetClass kind)
{
    switch (kind) {
    case TargetClass::kernel_function: return "function";
    case TargetClass::syscall: return "syscall";
    case TargetClass::tracepoint: return "tracepoint";
    case TargetClass::raw_tracepoint: return "raw tracepoint";
    case TargetClass::lsm_hook: return "lsm hook";
    case TargetClass::user_function: return "user function";
    }
    return "?";
}

std::vector<TargetEntry> kernel_targets(std::string_view pattern, const KernelSymbols &symbols,
                                        const std::vector<const HookInfo *> &hooks)
{
    std::vector<TargetEntry> out;
    // No function, syscall or LSM hook has a ':' in its name: CATEGORY:GLOB reads tracefs and BTF only.
    if (pattern.find(':') != std::string_view::npos) {
        add_tracepoints(pattern, symbols, hooks, out);
        return out;
    }
    symbols.load_kallsyms();
    symbols.load_btf();
    std::set<std::string> functions;
    for (const std::string_view name : symbols.kallsyms)
        if (std::string copy(name); !name.starts_with("__pfx_") && matches(pattern, copy))
            functions.insert(std::move(copy));
    for (const auto &[name, nargs] : symbols.btf_funcs)
        if (matches(pattern, name))
            functions.insert(name);
    for (const auto &name : functions)
        out.push_back(kernel_function(name, symbols, hooks));
    add_syscalls(pattern, symbols, hooks, out);
    add_tracepoints(pattern, symbols, hooks, out);
    add_lsm_hooks(pattern, symbols, hooks, out);
    std::ranges::stable_sort(out, {}, [](const TargetEntry &entry) { return entry.kind; });
    return out;
}

Expected<std::vector<TargetEntry>> binary_targets(const std::string &binary, std::string_view pattern,
                                                  const std::vector<const HookInfo *> &hooks)
{
    auto path = resolve_binary(binary);
    if (!path)
        return std::unexpected(path.error());
    auto functions = list_elf_functions(*path);
    if (!functions)
        return std::unexpected(functions.error());
    std::vector<TargetEntry> out;
    const auto user_hooks = hooks_of(hooks, {TargetKind::user_function, TargetKind::user_functions});
    for (const auto &name : functions->names)
        if (matches(pattern, name))
            out.push_back({TargetClass::user_function, fmt::format("{}:{}", *path, name), user_hooks,
                           functions->ifuncs.contains(name) ? ifunc_note(name, *path) : std::string()});
    return out;
}

Expected<std::vector<TargetEntry>> find_targets(const std::string &pattern, const KernelSymbols &symbols,
                                                const std::vector<const HookInfo *> &hooks)
{
    if (!names_binary(pattern, symbols))
        return kernel_targets(pattern, symbols, hooks);
    const auto colon = pattern.find(':');
    return binary_targets(pattern.substr(0, colon), std::string_view(pattern).substr(colon + 1), hooks);
}

bool names_binary(std::string_view pattern, const KernelSymbols &symbols)
{
    const auto colon = pattern.find(':');
    if (colon == std::string_view::npos)
        return false;
    const std::string left(pattern.substr(0, colon));
    if (left.starts_with('/') || left.starts_with('.'))
        return true;
    if (symbols.tracepoints)
        for (const auto &tracepoint : *symbols.tracepoints)
            if (tracepoint.starts_with(left + ":"))
                return false;
    return resolve_binary(left).has_value();
}

}  // namespace probectl
