#include "attach/resolve.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fnmatch.h>

#include <optional>
#include <set>
#include <vector>

#include "attach/event_catalogue.h"
#include "attach/function_rules.h"
#include "attach/syscall_event.h"
#include "loader/elf_symbols.h"
#include "loader/spelling.h"
#include "probes/event.h"

namespace probectl {
namespace {

struct KnownLayout {
    std::string_view name;
    std::uint32_t layout;
};

// Attach points whose arguments probectl knows how to read. Anything else: task fields only.
// (The libc exec family all return int; kernel functions' return sizes come from BTF.)
constexpr std::array kKernelFunctionLayouts{
    KnownLayout{"bprm_execve", PCTL_LAYOUT_BPRM0},
    KnownLayout{"begin_new_exec", PCTL_LAYOUT_BPRM0},
    KnownLayout{"exec_binprm", PCTL_LAYOUT_BPRM0},
    KnownLayout{"search_binary_handler", PCTL_LAYOUT_BPRM0},
    KnownLayout{"do_execve", PCTL_LAYOUT_KFILENAME0_UARGV1},
};
constexpr std::array kSyscallLayouts{
    KnownLayout{"execve", PCTL_LAYOUT_UPATH0_UARGV1},
    KnownLayout{"execveat", PCTL_LAYOUT_UPATH1_UARGV2},
};
constexpr std::array kTracepointLayouts{
    KnownLayout{"syscalls:sys_enter_execve", PCTL_LAYOUT_UPATH0_UARGV1},
    KnownLayout{"syscalls:sys_enter_execveat", PCTL_LAYOUT_UPATH1_UARGV2},
};
constexpr std::array kRawTracepointLayouts{
    KnownLayout{"sched_process_exec", PCTL_LAYOUT_SCHED_EXEC},
};
constexpr std::array kUserFunctionLayouts{
    KnownLayout{"execve", PCTL_LAYOUT_UPATH0_UARGV1},   KnownLayout{"execv", PCTL_LAYOUT_UPATH0_UARGV1},
    KnownLayout{"execvp", PCTL_LAYOUT_UPATH0_UARGV1},   KnownLayout{"execvpe", PCTL_LAYOUT_UPATH0_UARGV1},
    KnownLayout{"execveat", PCTL_LAYOUT_UPATH1_UARGV2},
};

// LSM hooks whose first argument is the exec's struct linux_binprm *.
constexpr std::array kLsmHookLayouts{
    KnownLayout{"bprm_check_security", PCTL_LAYOUT_BPRM0},
    KnownLayout{"bprm_committed_creds", PCTL_LAYOUT_BPRM0},
    KnownLayout{"bprm_committing_creds", PCTL_LAYOUT_BPRM0},
    KnownLayout{"bprm_creds_for_exec", PCTL_LAYOUT_BPRM0},
    KnownLayout{"bprm_creds_from_file", PCTL_LAYOUT_BPRM0},
};

template <size_t N> std::uint32_t layout_of(const std::array<KnownLayout, N> &table, std::string_view name)
{
    for (const auto &row : table)
        if (row.name == name)
            return row.layout;
    return PCTL_LAYOUT_NONE;
}

ResolvedTarget point(std::string name, std::uint32_t layout, std::string note = {})
{
    ResolvedTarget resolved;
    resolved.attach_point = std::move(name);
    resolved.layout.layout = layout;
    resolved.note = std::move(note);
    return resolved;
}

// The one line printed when the user named do_execve and this hook takes something else instead;
// with --strict, the refusal.
Expected<ResolvedTarget> substitute_for_do_execve(const HookInfo &hook, const ResolveOptions &options,
                                                  ResolvedTarget substitute, std::string_view why,
                                                  std::string_view about_substitute = {})
{
    if (options.strict)
        return fail(
            ErrorKind::target_untraceable,
            fmt::format("{} cannot attach to do_execve: {}; --strict refuses a substitute", hook.name, why),
            fmt::format("drop --strict to let probectl use {}, or name that target yourself",
                        substitute.describe()));
    substitute.note = fmt::format("do_execve: {}; {} uses {} instead{}", why, hook.name, substitute.describe(),
                                  about_substitute);
    return substitute;
}

std::string_view key_of(std::string_view name)
{
    return name;
}
template <class Value> std::string_view key_of(const std::pair<const std::string, Value> &entry)
{
    return entry.first;
}

// A glob that lists a misspelt name's neighbours: its text up to the first '_' (vfs_reed: 'vfs_*'),
// else its first three characters; for CATEGORY:NAME, the category's ('sched:*').
std::string neighbours_glob(std::string_view name)
{
    if (auto colon = name.find(':'); colon != std::string_view::npos)
        return fmt::format("{}:*", name.substr(0, colon));
    const auto underscore = name.find('_', 1);
    return fmt::format("{}*", name.substr(0, underscore != std::string_view::npos ? underscore + 1 : 3));
}

// "did you mean vfs_read? probectl targets 'vfs_*' lists its neighbours": the glob from the nearest
// name when there is one (a typo's own prefix may list nothing: 'vsf_*').
std::string hint_for(std::string_view name, const std::vector<std::string> &nearest)
{
    return fmt::format("{}probectl targets '{}' lists its neighbours", did_you_mean(nearest),
                       neighbours_glob(nearest.empty() ? name : std::string_view(nearest.front())));
}

// "did you mean vfs_read? probectl targets 'vfs_*' lists them": the hint for a name not found.
template <class Names> std::string spelling_hint(std::string_view name, const Names &names)
{
    NearestNames nearest(name);
    for (const auto &candidate : names)
        nearest.offer(candidate);
    return hint_for(name, nearest.best());
}

// The same over the names after a prefix (btf_trace_, bpf_lsm_, __x64_sys_), without it.
template <class Names>
std::string spelling_hint_after(std::string_view name, const Names &names, std::string_view prefix)
{
    NearestNames nearest(name);
    for (auto it = names.lower_bound(std::string(prefix)); it != names.end(); ++it) {
        std::string_view candidate = key_of(*it);
        if (!candidate.starts_with(prefix))
            break;
        nearest.offer(candidate.substr(prefix.size()));
    }
    return hint_for(name, nearest.best());
}

ResolvedTarget kernel_function_point(const KernelSymbols &symbols, const std::string &name, std::string note = {})
{
    ResolvedTarget resolved = point(name, layout_of(kKernelFunctionLayouts, name), std::move(note));
    resolved.layout.func_nargs = static_cast<std::uint32_t>(symbols.btf_func_nargs(name).value_or(0));
    resolved.layout.ret_size = static_cast<std::uint32_t>(symbols.btf_func_ret_size(name).value_or(8));
    return resolved;
}

Expected<ResolvedTarget> resolve_kernel_function(const HookInfo &hook, const Target &target,
                                                 const KernelSymbols &symbols, const ResolveOptions &options)
{
    auto usable = [&](std::string_view name) { return !kernel_function_problem(hook, symbols, name); };

    if (target.kind == Target::Kind::qualified)
        return fail(ErrorKind::usage,
                    fmt::format("{} attaches to kernel functions; '{}' is not one", hook.name, target.text),
                    "name a function such as bprm_execve; for tracepoints use --type tracepoint, "
                    "for BINARY:SYMBOL --type uprobe");

    if (target.kind == Target::Kind::exec_event && !target.named_do_execve) {
        // The exec path function every kernel since 5.9 has, with BTF; older kernels trace do_execve.
        for (std::string_view name : {"bprm_execve", "do_execve"})
            if (usable(name))
                return kernel_function_point(symbols, std::string(name));
        return fail(ErrorKind::target_not_found,
                    fmt::format("no exec-path function that {} can use: bprm_execve and do_execve are "
                                "both unusable here",
                                hook.name),
                    "use --type tracepoint execve, which every kernel has");
    }

    if (target.kind == Target::Kind::exec_event) {
        auto problem = kernel_function_problem(hook, symbols, "do_execve");
        if (!problem)
            return kernel_function_point(symbols, "do_execve");
        // Nearest first: do_execve calls do_execveat_common, which calls bprm_execve. The BPF
        // trampoline hooks skip do_execveat_common: it takes struct user_arg_ptr by value, which
        // trampolines before 6.1 refuse (EINVAL on 5.10), and its clones have no BTF.
        std::vector<std::string> candidates;
        if (!hook.needs_btf) {
            candidates.emplace_back("do_execveat_common");
            for (const auto &clone : symbols.clones_of("do_execveat_common"))
                if (!clone.ends_with(".cold"))
                    candidates.push_back(clone);
        }
        candidates.emplace_back("bprm_execve");
        for (const auto &name : candidates) {
            if (!usable(name))
                continue;
            const bool clone = name.find('.') != std::string::npos;
            return substitute_for_do_execve(hook, options, kernel_function_point(symbols, name), *problem,
                                            clone ? ", a compiler clone whose arguments probectl does not read"
                                                  : "");
        }
        return fail(ErrorKind::target_untraceable,
                    fmt::format("do_execve is unusable by {} ({}) and so is every exec-path substitute", hook.name,
                                *problem),
                    "use --type tracepoint execve");
    }

    const std::string &name = target.right;
    if (auto problem = kernel_function_problem(hook, symbols, name)) {
        auto clones = symbols.clones_of(name);
        if (!symbols.in_kallsyms(name) && !clones.empty()) {
            const std::string hint =
                hook.needs_btf ? fmt::format("clones have no BTF, so {} cannot use them; try --type kprobe {}",
                                             hook.name, clones.front())
                               : fmt::format("name the clone: --type {} {}", hook.name, clones.front());
            return fail(ErrorKind::target_not_found,
                        fmt::format("kernel function '{}' is not in kallsyms, but its compiler clones are: {}",
                                    name, fmt::join(clones, ", ")),
                        hint);
        }
        if (!symbols.in_kallsyms(name) && !symbols.btf_func_nargs(name))
            return fail(ErrorKind::target_not_found,
                        fmt::format("kernel function '{}' not found in /proc/kallsyms or BTF", name),
                        hint_for(name, symbols.nearest_functions(name)));
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} cannot attach to '{}': {}", hook.name, name, *problem),
                    problem->find("BTF") != std::string::npos
                        ? fmt::format("kprobes need no BTF: try --type kprobe {}", name)
                        : fmt::format("probectl targets '{}' says which hook types can", name));
    }
    return kernel_function_point(symbols, name);
}

Expected<ResolvedTarget> resolve_syscall(const HookInfo &hook, const Target &target, const KernelSymbols &symbols,
                                         const ResolveOptions &options)
{
    if (target.kind == Target::Kind::exec_event) {
        ResolvedTarget execve = point("execve", PCTL_LAYOUT_UPATH0_UARGV1);
        if (!target.named_do_execve)
            return execve;
        return substitute_for_do_execve(hook, options, std::move(execve),
                                        "ksyscall attaches to syscalls, not kernel functions");
    }
    if (target.kind == Target::Kind::qualified)
        return fail(ErrorKind::usage, fmt::format("ksyscall takes a syscall name, not '{}'", target.text),
                    "e.g. --type ksyscall execve");
    const std::string &name = target.right;
    for (std::string_view prefix : {"__x64_sys_", "__arm64_sys_", "__se_sys_", "sys_"})
        if (symbols.in_kallsyms(fmt::format("{}{}", prefix, name)))
            return point(name, layout_of(kSyscallLayouts, name));
    return fail(ErrorKind::target_not_found,
                fmt::format("no syscall named '{}': no __x64_sys_{} in kallsyms", name, name),
                spelling_hint_after(name, symbols.kallsyms, syscall_wrapper_prefix()));
}

Expected<ResolvedTarget> resolve_tracepoint(const HookInfo &hook, const Target &target,
                                            const KernelSymbols &symbols, const ResolveOptions &options)
{
    if (target.kind == Target::Kind::exec_event) {
        ResolvedTarget enter = point("syscalls:sys_enter_execve", PCTL_LAYOUT_UPATH0_UARGV1);
        if (!target.named_do_execve)
            return enter;
        return substitute_for_do_execve(hook, options, std::move(enter),
                                        "a tracepoint cannot attach to a kernel function");
    }
    if (target.kind == Target::Kind::name)
        return fail(ErrorKind::usage,
                    fmt::format("tracepoint targets are CATEGORY:NAME; '{}' has no category", target.text),
                    "e.g. syscalls:sys_enter_execve or sched:sched_process_exec");
    if (symbols.has_tracepoint(target.left, target.right) == false)
        return fail(ErrorKind::target_not_found,
                    fmt::format("tracepoint '{}' not found in tracefs available_events", target.text),
                    spelling_hint(target.text, *symbols.tracepoints));
    const std::string name = target.left + ":" + target.right;
    std::uint32_t layout = layout_of(kTracepointLayouts, name);
    if (target.left == "syscalls" && target.right.starts_with("sys_exit_"))
        layout = PCTL_LAYOUT_SYS_EXIT;
    return point(name, layout);
}

Expected<ResolvedTarget> resolve_raw_tracepoint(const HookInfo &hook, const Target &target,
                                                const KernelSymbols &symbols, const ResolveOptions &options)
{
    if (target.kind == Target::Kind::exec_event) {
        ResolvedTarget exec = point("sched_process_exec", PCTL_LAYOUT_SCHED_EXEC);
        if (!target.named_do_execve)
            return exec;
        return substitute_for_do_execve(
            hook, options, std::move(exec),
            fmt::format("{} attaches to tracepoints, not kernel functions", hook.name));
    }
    // "sched:sched_process_exec" and "sched_process_exec" name the same raw tracepoint.
    const std::string &name = target.right;
    if (symbols.btf_available()) {
        if (!symbols.has_btf_typedef("btf_trace_" + name))
            return fail(ErrorKind::target_not_found,
                        fmt::format("no tracepoint named '{}' (kernel BTF has no btf_trace_{})", name, name),
                        spelling_hint_after(name, symbols.btf_typedefs, "btf_trace_"));
    } else if (hook.needs_btf) {
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} needs kernel BTF, and this kernel has none", hook.name),
                    "use --type raw_tp, which needs no BTF");
    }
    return point(name, layout_of(kRawTracepointLayouts, name));
}

Expected<ResolvedTarget> resolve_user_function(const HookInfo &hook, const Target &target,
                                               const ResolveOptions &options)
{
    std::string binary = "libc";
    std::string symbol = "execve";
    if (target.kind == Target::Kind::qualified) {
        binary = target.left;
        symbol = target.right;
    } else if (target.kind == Target::Kind::name) {
        return fail(ErrorKind::usage,
                    fmt::format("{} targets are BINARY:SYMBOL; '{}' names no binary", hook.name, target.text),
                    fmt::format("e.g. libc:{} or /usr/bin/bash:main", target.right));
    }
    auto path = resolve_binary(binary);
    if (!path)
        return std::unexpected(path.error());
    auto found = find_elf_function(*path, symbol);
    if (!found)
        return std::unexpected(found.error());
    ResolvedTarget resolved = point(*path, layout_of(kUserFunctionLayouts, symbol));
    if (resolved.layout.layout != PCTL_LAYOUT_NONE)
        resolved.layout.ret_size = sizeof(int);
    resolved.symbol = symbol;
    resolved.offset = found->file_offset;
    if (found->ifunc)
        resolved.note = ifunc_note(symbol, binary);
    if (target.kind == Target::Kind::exec_event && target.named_do_execve)
        return substitute_for_do_execve(hook, options, std::move(resolved),
                                        fmt::format("{} attaches to user-space functions", hook.name));
    return resolved;
}

// An LSM hook is named as the kernel's LSM hook list has it (bprm_check_security); BPF LSM programs
// attach to its bpf_lsm_<hook> function, which kernel BTF must describe.
Expected<ResolvedTarget> resolve_lsm_hook(const HookInfo &hook, const Target &target, const KernelSymbols &symbols,
                                          const ResolveOptions &options)
{
    if (target.kind == Target::Kind::qualified)
        return fail(ErrorKind::usage, fmt::format("{} takes an LSM hook name, not '{}'", hook.name, target.text),
                    "e.g. --type lsm bprm_check_security");
    // Every exec that opened its file passes the check of the binary about to run.
    const std::string name = target.kind == Target::Kind::exec_event ? "bprm_check_security" : target.right;
    const std::string function = "bpf_lsm_" + name;
    if (!symbols.btf_available())
        return fail(ErrorKind::target_untraceable,
                    fmt::format("{} needs kernel BTF, and this kernel has none", hook.name),
                    "use --type kprobe security_bprm_check, which needs no BTF");
    if (symbols.btf_func_nargs(function) && !symbols.is_lsm_hook(name))
        return fail(ErrorKind::target_not_found,
                    fmt::format("'{}' is not an LSM hook: {} is one of BPF LSM's own functions", name, function),
                    "list the LSM hooks with: probectl targets 'bprm_*' (or any glob)");
    if (!symbols.is_lsm_hook(name))
        return fail(ErrorKind::target_not_found,
                    fmt::format("no LSM hook named '{}' (kernel BTF has no {})", name, function),
                    spelling_hint_after(name, symbols.btf_funcs, "bpf_lsm_"));
    ResolvedTarget resolved = point(name, layout_of(kLsmHookLayouts, name));
    if (target.kind == Target::Kind::exec_event && target.named_do_execve)
        return substitute_for_do_execve(hook, options, std::move(resolved),
                                        fmt::format("{} attaches to LSM hooks, not kernel functions", hook.name));
    return resolved;
}

// A hook on many functions numbers them in 16 bits of each one's attach cookie.
constexpr std::size_t kMaxSites = 0xffff;

// Where every exec passes once its file is open, each taking the exec's struct linux_binprm * first;
// those this kernel inlined are left out. (setup_new_exec is not: it runs after the exec committed.)
constexpr std::array<std::string_view, 4> kExecPathFunctions{"bprm_execve", "exec_binprm", "search_binary_handler",
                                                             "begin_new_exec"};

bool is_glob(std::string_view name)
{
    return name.find_first_of("*?") != std::string_view::npos;
}

// Whether a kernel function can take a function probe: in kallsyms, listed by function tracing (when
// the list is readable), not refused by kprobes.
bool probeable(const KernelSymbols &symbols, const std::string &name)
{
    return symbols.in_kallsyms(name) && symbols.is_traceable(name) != false &&
           symbols.is_blacklisted(name) != true;
}

// kprobe.multi: a comma-separated list of kernel functions and globs (bprm_*,begin_new_exec), or for
// the exec event the exec path's functions. A glob takes the probeable functions it matches; a name
// must be probeable itself.
Expected<ResolvedTarget> resolve_kernel_functions(const HookInfo &hook, const Target &target,
                                                  const KernelSymbols &symbols, const ResolveOptions &options)
{
    if (target.kind == Target::Kind::qualified)
        return fail(ErrorKind::usage,
                    fmt::format("{} takes kernel functions or globs, not '{}'", hook.name, target.text),
                    "e.g. --type kprobe.multi 'bprm_*,begin_new_exec'");
    ResolvedTarget resolved;
    if (target.kind == Target::Kind::exec_event) {
        std::vector<std::string> names;
        for (std::string_view name : kExecPathFunctions)
            if (probeable(symbols, std::string(name))) {
                names.emplace_back(name);
                resolved.sites.push_back({.name = std::string(name), .layout = PCTL_LAYOUT_BPRM0});
            }
        if (resolved.sites.empty())
            return fail(ErrorKind::target_not_found,
                        fmt::format("none of the exec path's functions ({}) can be probed on this kernel",
                                    fmt::join(kExecPathFunctions, ", ")),
                        "use --type tracepoint execve, which every kernel has");
        resolved.attach_point = fmt::format("{}", fmt::join(names, ","));
        resolved.layout.layout = PCTL_LAYOUT_BPRM0;
        if (target.named_do_execve)
            return substitute_for_do_execve(hook, options, std::move(resolved),
                                            fmt::format("{} takes the exec path's functions", hook.name));
        return resolved;
    }

    std::set<std::string> chosen;
    std::string_view rest = target.right;
    while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string piece(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (piece.empty())
            continue;
        if (!is_glob(piece)) {
            if (!probeable(symbols, piece))
                return fail(ErrorKind::target_not_found,
                            fmt::format("kernel function '{}' cannot be probed: {}", piece,
                                        symbols.in_kallsyms(piece)
                                            ? "function tracing does not list it, or kprobes "
                                              "refuse it"
                                            : "it is not in kallsyms (inlined or absent)"),
                            fmt::format("probectl explain {} says more", piece));
            chosen.insert(piece);
            continue;
        }
        // Without function tracing's list, kallsyms also holds what no probe takes: the .cold parts
        // of functions and the __pfx_ padding before them.
        symbols.load_kallsyms();
        const size_t before = chosen.size();
        auto consider = [&](const std::string &name) {
            if (fnmatch(piece.c_str(), name.c_str(), 0) == 0 && probeable(symbols, name) &&
                !name.ends_with(".cold") && !name.starts_with("__pfx_"))
                chosen.insert(name);
        };
        if (symbols.traceable)
            for (const auto &name : *symbols.traceable)
                consider(name);
        else
            for (const std::string_view name : symbols.kallsyms)
                consider(std::string(name));
        if (chosen.size() == before)
            return fail(ErrorKind::target_not_found,
                        fmt::format("no probeable kernel function matches '{}'", piece),
                        fmt::format("globs match function names as available_filter_functions lists them: "
                                    "grep '{}' /sys/kernel/tracing/available_filter_functions",
                                    piece));
    }
    if (chosen.empty())
        return fail(ErrorKind::usage, fmt::format("'{}' names no kernel function", target.text),
                    "e.g. --type kprobe.multi 'bprm_*'");
    if (chosen.size() > kMaxSites)
        return fail(ErrorKind::usage,
                    fmt::format("'{}' matches {} functions; {} takes at most {}", target.text, chosen.size(),
                                hook.name, kMaxSites),
                    "narrow the glob");
    // Each function with its own argument layout (its attach cookie carries it).
    for (const auto &name : chosen)
        resolved.sites.push_back({.name = name, .layout = layout_of(kKernelFunctionLayouts, name)});
    resolved.attach_point = target.right;
    return resolved;
}

// Every exec wrapper of libc that ends in the execve system call: libc's own calls reach execve at
// its address (posix_spawn's child too), so a probe there also fires for them.
constexpr std::array<std::string_view, 6> kExecWrappers{"execve",  "execv",       "execvp",
                                                        "execvpe", "posix_spawn", "posix_spawnp"};

// libc's exec functions, and the system call each ends in (fexecve: execveat, where the kernel has it).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kExecCalls{{
    {"execve", "execve"},
    {"execv", "execve"},
    {"execvp", "execve"},
    {"execvpe", "execve"},
    {"posix_spawn", "execve"},
    {"posix_spawnp", "execve"},
    {"execveat", "execveat"},
    {"fexecve", "execveat"},
}};

std::string exec_call_of(std::string_view function)
{
    for (const auto &[name, call] : kExecCalls)
        if (name == function)
            return std::string(call);
    return {};
}

// uprobe.multi: BINARY:NAME,NAME... (names, not globs), or for the exec event libc's exec wrappers,
// those it has. Each is a site with its own file offset and argument layout.
Expected<ResolvedTarget> resolve_user_functions(const HookInfo &hook, const Target &target,
                                                const ResolveOptions &options)
{
    std::string binary = "libc";
    std::vector<std::string> names;
    if (target.kind == Target::Kind::qualified) {
        binary = target.left;
        std::string_view rest = target.right;
        while (!rest.empty()) {
            const size_t comma = rest.find(',');
            std::string piece(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (is_glob(piece))
                return fail(ErrorKind::usage,
                            fmt::format("{} takes function names, not the glob '{}'", hook.name, piece),
                            "list them: e.g. libc:execve,execvp");
            if (!piece.empty() && std::ranges::find(names, piece) == names.end())
                names.push_back(std::move(piece));
        }
        if (names.empty())
            return fail(ErrorKind::usage, fmt::format("'{}' names no function", target.text),
                        "e.g. libc:execve,execvp");
        if (names.size() > kMaxSites)
            return fail(ErrorKind::usage, fmt::format("{} takes at most {} functions", hook.name, kMaxSites),
                        "attach it more than once");
    } else if (target.kind == Target::Kind::name) {
        return fail(
            ErrorKind::usage,
            fmt::format("{} targets are BINARY:NAME,NAME...; '{}' names no binary", hook.name, target.text),
            fmt::format("e.g. libc:{}", target.right));
    } else {
        names.assign(kExecWrappers.begin(), kExecWrappers.end());
    }
    auto path = resolve_binary(binary);
    if (!path)
        return std::unexpected(path.error());
    ResolvedTarget resolved = point(*path, PCTL_LAYOUT_NONE);
    std::vector<std::string> found_names;
    for (const auto &name : names) {
        auto found = find_elf_function(*path, name);
        if (!found) {
            if (target.kind == Target::Kind::exec_event)
                continue;  // this libc lacks that wrapper
            return std::unexpected(found.error());
        }
        resolved.sites.push_back({.name = name,
                                  .offset = found->file_offset,
                                  .layout = layout_of(kUserFunctionLayouts, name),
                                  .exec_call = exec_call_of(name)});
        found_names.push_back(name);
    }
    if (resolved.sites.empty())
        return fail(ErrorKind::binary_or_symbol, fmt::format("{} has none of libc's exec wrappers", *path),
                    "name the functions: BINARY:NAME,NAME");
    resolved.symbol = fmt::format("{}", fmt::join(found_names, ","));
    if (target.kind == Target::Kind::exec_event && target.named_do_execve)
        return substitute_for_do_execve(hook, options, std::move(resolved),
                                        fmt::format("{} attaches to user-space functions", hook.name));
    return resolved;
}

// A plain name that is no attach point of this hook's own kind but a syscall's: the syscall event,
// seen where this hook type sees syscalls (attach/syscall_event.h). ksyscall takes syscalls anyway.
std::optional<SyscallEvent> syscall_event_named(const HookInfo &hook, const Target &target,
                                                const KernelSymbols &symbols)
{
    if (target.kind != Target::Kind::name || hook.target_kind == TargetKind::syscall ||
        target.right.find_first_of(",*?") != std::string::npos)
        return std::nullopt;
    const std::string &name = target.right;
    switch (hook.target_kind) {
    case TargetKind::kernel_function:
    case TargetKind::kernel_functions:
        if (symbols.in_kallsyms(name) || symbols.btf_func_nargs(name) || !symbols.clones_of(name).empty())
            return std::nullopt;
        break;
    case TargetKind::raw_tracepoint:  // without BTF, raw_tp takes any name as a tracepoint's
        if (!symbols.btf_available() || symbols.has_btf_typedef("btf_trace_" + name))
            return std::nullopt;
        break;
    case TargetKind::lsm_hook:
        if (symbols.is_lsm_hook(name))
            return std::nullopt;
        break;
    default: break;  // tracepoints and user functions: a name without CATEGORY: or BINARY:
    }
    return find_syscall_event(name, symbols);
}

}  // namespace

std::string ResolvedTarget::describe() const
{
    return symbol.empty() ? attach_point : fmt::format("{}:{}", attach_point, symbol);
}

const ValueList *ResolvedTarget::values_at(std::uint32_t site) const
{
    if (values)
        return &*values;
    return site >= 1 && site <= site_values.size() ? &site_values[site - 1] : nullptr;
}

std::string ResolvedTarget::site_name(std::uint32_t site) const
{
    return site >= 1 && site <= sites.size() ? sites[site - 1].name : "";
}

Expected<ResolvedTarget> resolve_target(const HookInfo &hook, const Target &target, const KernelSymbols &symbols,
                                        const ResolveOptions &options)
{
    // Lists and globs are for the hooks that take many functions at once.
    const bool many =
        hook.target_kind == TargetKind::kernel_functions || hook.target_kind == TargetKind::user_functions;
    if (!many && target.right.find_first_of(",*?") != std::string::npos)
        return fail(ErrorKind::usage,
                    fmt::format("{} takes one attach point, not the list or glob '{}'", hook.name, target.right),
                    hook.target_kind == TargetKind::user_function
                        ? "for many functions of a binary at once use --type uprobe.multi BINARY:NAME,NAME"
                        : "for many kernel functions at once use --type kprobe.multi 'GLOB,NAME'");
    if (target.kind == Target::Kind::name)
        if (const CatalogueEvent *event = find_catalogue_event(target.right))
            return resolve_catalogue_event(hook, *event, symbols, options);
    if (auto event = syscall_event_named(hook, target, symbols))
        return resolve_syscall_event(hook, *event, symbols);
    switch (hook.target_kind) {
    case TargetKind::kernel_function: return resolve_kernel_function(hook, target, symbols, options);
    case TargetKind::syscall: return resolve_syscall(hook, target, symbols, options);
    case TargetKind::tracepoint: return resolve_tracepoint(hook, target, symbols, options);
    case TargetKind::raw_tracepoint: return resolve_raw_tracepoint(hook, target, symbols, options);
    case TargetKind::user_function: return resolve_user_function(hook, target, options);
    case TargetKind::lsm_hook: return resolve_lsm_hook(hook, target, symbols, options);
    case TargetKind::kernel_functions: return resolve_kernel_functions(hook, target, symbols, options);
    case TargetKind::user_functions: return resolve_user_functions(hook, target, options);
    }
    return fail(ErrorKind::internal, "unknown target kind");
}

}  // namespace probectl
