#include "attach/function_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace probectl {
namespace {

// The verifier's btf_id_deny set (kernel/bpf/verifier.c): functions BPF's own trampolines call,
// where a trampoline would recurse. Which of them a kernel has depends on its config.
constexpr std::array<std::string_view, 7> kTrampolineDenied{
    "migrate_disable",   "migrate_enable",  "rcu_read_unlock_strict", "preempt_count_add",
    "preempt_count_sub", "__rcu_read_lock", "__rcu_read_unlock",
};

// Functions that never return, so a return probe there never fires: the verifier's noreturn_deny set
// (6.5), which refuses fexit on them, and arm64's exit syscalls.
constexpr std::array<std::string_view, 12> kNeverReturn{
    "do_exit",
    "do_group_exit",
    "make_task_dead",
    "kthread_exit",
    "kthread_complete_and_exit",
    "__module_put_and_kthread_exit",
    "__x64_sys_exit",
    "__x64_sys_exit_group",
    "__arm64_sys_exit",
    "__arm64_sys_exit_group",
    "__ia32_sys_exit",
    "__ia32_sys_exit_group",
};

bool listed(auto &list, std::string_view name)
{
    return std::ranges::find(list, name) != list.end();
}

std::optional<std::string> trampoline_problem(const KernelSymbols &symbols, std::string_view name)
{
    const auto nargs = symbols.btf_func_nargs(name);
    if (!nargs) {
        if (auto module = symbols.module_of(name))
            return fmt::format("it is in module {}, whose BTF probectl does not read (trampolines need BTF)",
                               *module);
        return "it has no BTF description, which BPF trampolines need";
    }
    if (symbols.is_traceable(name) == false)
        return "it is not in available_filter_functions (notrace, or not ftrace-able)";
    if (listed(kTrampolineDenied, name))
        return "the verifier denies BPF trampolines on it (BPF's own trampolines call it)";
    if (const auto most = trampoline_max_args(symbols.release); most && *nargs > *most)
        return fmt::format("it takes {} arguments and BPF trampolines on {} take at most {}", *nargs,
                           symbols.release, *most);
    return std::nullopt;
}

}  // namespace

std::optional<int> trampoline_max_args(std::string_view release)
{
#if defined(__x86_64__)
    return release_before(release, 6, 5) ? 6 : 12;
#elif defined(__aarch64__)
    (void)release;
    return 8;
#else
    (void)release;
    return std::nullopt;
#endif
}

std::optional<std::string> kernel_function_problem(const HookInfo &hook, const KernelSymbols &symbols,
                                                   std::string_view name)
{
    const bool in_kallsyms = symbols.in_kallsyms(name);
    if (!in_kallsyms && !symbols.btf_func_nargs(name))
        return "it is inlined or absent on this kernel (in neither kallsyms nor BTF)";
    if (!in_kallsyms)
        return "it is in BTF but not in kallsyms: every call of it was inlined";
    if (name.find(".cold") != std::string_view::npos)
        return "it is the cold part of a function the compiler split: not a function entry";
    // kretprobe attaches there and never fires; the verifier refuses fexit since 6.5
    if (hook.return_value && listed(kNeverReturn, name))
        return "it never returns, so a return probe there never fires";
    if (hook.mechanism == Mechanism::trampoline)
        return trampoline_problem(symbols, name);
    if (symbols.is_blacklisted(name) == true)
        return "it is on the kprobe blacklist";
    if (hook.mechanism == Mechanism::fprobe && symbols.is_traceable(name) == false)
        return "it is not in available_filter_functions (notrace, or not ftrace-able)";
    return std::nullopt;
}

}  // namespace probectl
