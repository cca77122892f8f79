#include "attach/registry.h"

#include <fmt/format.h>

#include <array>

#include "probes/event.h"

namespace probectl {
namespace {

using Factory = std::unique_ptr<AttachStrategy> (*)(const HookInfo &);

struct Row {
    HookInfo info;
    Factory make;
};

// One row per hook type. Minimum kernels are those of the mainline feature (program type and
// attach mechanism as probectl uses them: bpf_link based attach, ring buffer needs 5.8).
const std::array<Row, 10> &table()
{
    static const std::array<Row, 10> rows{{
        {{PCTL_HOOK_KPROBE,
          "kprobe",
          {"k"},
          "BPF_PROG_TYPE_KPROBE",
          "kprobe",
          TargetKind::kernel_function,
          false,
          true,
          false,
          ExecPhase::before_exec,
          "entry arguments from registers (pt_regs); any kernel function in kallsyms, clones included",
          "4.1"},
         make_kprobe_strategy},
        {{PCTL_HOOK_KRETPROBE,
          "kretprobe",
          {"kr"},
          "BPF_PROG_TYPE_KPROBE",
          "kretprobe",
          TargetKind::kernel_function,
          false,
          false,
          true,
          ExecPhase::on_return,
          "return value only: the entry arguments are gone",
          "4.1"},
         make_kretprobe_strategy},
        {{PCTL_HOOK_FENTRY,
          "fentry",
          {"kfunc"},
          "BPF_PROG_TYPE_TRACING",
          "fentry",
          TargetKind::kernel_function,
          true,
          true,
          false,
          ExecPhase::before_exec,
          "entry arguments typed by BTF; only BTF-described, traceable functions",
          "5.5"},
         make_fentry_strategy},
        {{PCTL_HOOK_FEXIT,
          "fexit",
          {"kretfunc"},
          "BPF_PROG_TYPE_TRACING",
          "fexit",
          TargetKind::kernel_function,
          true,
          true,
          true,
          ExecPhase::on_return,
          "entry arguments and return value at exit, typed by BTF",
          "5.5"},
         make_fexit_strategy},
        {{PCTL_HOOK_TRACEPOINT,
          "tracepoint",
          {"tp", "t"},
          "BPF_PROG_TYPE_TRACEPOINT",
          "tp",
          TargetKind::tracepoint,
          false,
          true,
          false,
          ExecPhase::before_exec,
          "the tracepoint's format record (syscall arguments as user pointers); stable ABI",
          "4.7"},
         make_tracepoint_strategy},
        {{PCTL_HOOK_TP_BTF,
          "tp_btf",
          {"btf_tp"},
          "BPF_PROG_TYPE_TRACING",
          "tp_btf",
          TargetKind::raw_tracepoint,
          true,
          true,
          false,
          ExecPhase::after_exec,
          "raw tracepoint arguments typed by BTF (sched_process_exec: task, old pid, bprm) after exec",
          "5.5"},
         make_tp_btf_strategy},
        {{PCTL_HOOK_RAW_TP,
          "raw_tp",
          {"raw_tracepoint", "rawtracepoint"},
          "BPF_PROG_TYPE_RAW_TRACEPOINT",
          "raw_tp",
          TargetKind::raw_tracepoint,
          false,
          true,
          false,
          ExecPhase::after_exec,
          "raw tracepoint arguments as untyped u64 (probe-read to use them) after exec",
          "4.17"},
         make_raw_tp_strategy},
        {{PCTL_HOOK_UPROBE,
          "uprobe",
          {"u"},
          "BPF_PROG_TYPE_KPROBE",
          "uprobe",
          TargetKind::user_function,
          false,
          true,
          false,
          ExecPhase::before_exec,
          "a user-space function's arguments (libc execve: path, argv); misses execs that bypass libc",
          "4.3"},
         make_uprobe_strategy},
        {{PCTL_HOOK_URETPROBE,
          "uretprobe",
          {"ur"},
          "BPF_PROG_TYPE_KPROBE",
          "uretprobe",
          TargetKind::user_function,
          false,
          false,
          true,
          ExecPhase::on_return,
          "a user-space function's return value; a successful execve never returns",
          "4.3"},
         make_uretprobe_strategy},
        {{PCTL_HOOK_KSYSCALL,
          "ksyscall",
          {"syscall"},
          "BPF_PROG_TYPE_KPROBE",
          "ksyscall",
          TargetKind::syscall,
          false,
          true,
          false,
          ExecPhase::before_exec,
          "a syscall's own arguments via a kprobe on its entry wrapper (user pointers)",
          "4.1"},
         make_ksyscall_strategy},
    }};
    return rows;
}

}  // namespace

Registry::Registry()
{
    for (const auto &row : table())
        strategies_.push_back(row.make(row.info));
}

const Registry &Registry::instance()
{
    static const Registry registry;
    return registry;
}

const AttachStrategy *Registry::find(std::string_view name) const
{
    for (const auto &strategy : strategies_) {
        const HookInfo &info = strategy->info();
        if (info.name == name)
            return strategy.get();
        for (auto alias : info.aliases)
            if (alias == name)
                return strategy.get();
    }
    return nullptr;
}

const AttachStrategy *Registry::by_id(std::uint32_t id) const
{
    for (const auto &strategy : strategies_)
        if (strategy->info().id == id)
            return strategy.get();
    return nullptr;
}

Expected<const AttachStrategy *> Registry::lookup(std::string_view name) const
{
    if (const AttachStrategy *strategy = find(name))
        return strategy;
    return fail(ErrorKind::unknown_hook, fmt::format("unknown hook type '{}'", name),
                fmt::format("choose one of: {} (probectl list shows them)", names()));
}

std::string Registry::names() const
{
    std::vector<std::string_view> names;
    for (const auto &strategy : strategies_)
        names.push_back(strategy->info().name);
    return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace probectl
