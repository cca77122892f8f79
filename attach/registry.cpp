#include "attach/registry.h"

#include "loader/spelling.h"

#include <fmt/format.h>

#include <vector>

#include "probes/event.h"

namespace probectl {
namespace {

using Factory = std::unique_ptr<AttachStrategy> (*)(const HookInfo &);

}  // namespace

// Each hook type's factory, defined in its own file (attach/<hook>.cpp): its skeleton, what it sets
// before load, its attach call.
std::unique_ptr<AttachStrategy> make_kprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_kretprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_fentry_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_fexit_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_tracepoint_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_tp_btf_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_raw_tp_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_uprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_uretprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_ksyscall_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_lsm_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_kprobe_multi_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_uprobe_multi_strategy(const HookInfo &info);

namespace {

struct Entry {
    HookInfo info;
    Factory make;
};

// One entry per hook type, in the order probectl lists them; every other place derives from these.
// Minimum kernels are those of the mainline feature (program type and attach mechanism as probectl
// uses them: bpf_link based attach, ring buffer needs 5.8).
const std::vector<Entry> &table()
{
    static const std::vector<Entry> entries{
        {.info = {.id = PCTL_HOOK_KPROBE,
                  .name = "kprobe",
                  .aliases = {"k"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::kprobe,
                  .section = "kprobe",
                  .target_kind = TargetKind::kernel_function,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees =
                      "entry arguments from registers (pt_regs); any kernel function in kallsyms, clones included",
                  .min_kernel = "4.1"},
         .make = make_kprobe_strategy},
        {.info = {.id = PCTL_HOOK_KRETPROBE,
                  .name = "kretprobe",
                  .aliases = {"kr"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::kprobe,
                  .section = "kretprobe",
                  .target_kind = TargetKind::kernel_function,
                  .needs_btf = false,
                  .entry_args = false,
                  .return_value = true,
                  .phase = ExecPhase::on_return,
                  .sees = "return value only: the entry arguments are gone",
                  .min_kernel = "4.1"},
         .make = make_kretprobe_strategy},
        {.info = {.id = PCTL_HOOK_FENTRY,
                  .name = "fentry",
                  .aliases = {"kfunc"},
                  .program_type = ProgramType::tracing,
                  .mechanism = Mechanism::trampoline,
                  .section = "fentry",
                  .target_kind = TargetKind::kernel_function,
                  .needs_btf = true,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees = "entry arguments typed by BTF; only BTF-described, traceable functions",
                  .min_kernel = "5.5"},
         .make = make_fentry_strategy},
        {.info = {.id = PCTL_HOOK_FEXIT,
                  .name = "fexit",
                  .aliases = {"kretfunc"},
                  .program_type = ProgramType::tracing,
                  .mechanism = Mechanism::trampoline,
                  .section = "fexit",
                  .target_kind = TargetKind::kernel_function,
                  .needs_btf = true,
                  .entry_args = true,
                  .return_value = true,
                  .phase = ExecPhase::on_return,
                  .sees = "entry arguments and return value at exit, typed by BTF",
                  .min_kernel = "5.5"},
         .make = make_fexit_strategy},
        {.info = {.id = PCTL_HOOK_TRACEPOINT,
                  .name = "tracepoint",
                  .aliases = {"tp", "t"},
                  .program_type = ProgramType::tracepoint,
                  .mechanism = Mechanism::tracepoint,
                  .section = "tp",
                  .target_kind = TargetKind::tracepoint,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees = "the tracepoint's format record (syscall arguments as user pointers); stable ABI",
                  .min_kernel = "4.7"},
         .make = make_tracepoint_strategy},
        {.info = {.id = PCTL_HOOK_TP_BTF,
                  .name = "tp_btf",
                  .aliases = {"btf_tp"},
                  .program_type = ProgramType::tracing,
                  .mechanism = Mechanism::trampoline,
                  .section = "tp_btf",
                  .target_kind = TargetKind::raw_tracepoint,
                  .needs_btf = true,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::after_exec,
                  .sees =
                      "raw tracepoint arguments typed by BTF (sched_process_exec: task, old pid, bprm) after exec",
                  .min_kernel = "5.5"},
         .make = make_tp_btf_strategy},
        {.info = {.id = PCTL_HOOK_RAW_TP,
                  .name = "raw_tp",
                  .aliases = {"raw_tracepoint", "rawtracepoint"},
                  .program_type = ProgramType::raw_tracepoint,
                  .mechanism = Mechanism::raw_tracepoint,
                  .section = "raw_tp",
                  .target_kind = TargetKind::raw_tracepoint,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::after_exec,
                  .sees = "raw tracepoint arguments as untyped u64 (probe-read to use them) after exec",
                  .min_kernel = "4.17"},
         .make = make_raw_tp_strategy},
        {.info = {.id = PCTL_HOOK_UPROBE,
                  .name = "uprobe",
                  .aliases = {"u"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::uprobe,
                  .section = "uprobe",
                  .target_kind = TargetKind::user_function,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees =
                      "a user-space function's arguments (libc execve: path, argv); misses execs that bypass libc",
                  .min_kernel = "4.3"},
         .make = make_uprobe_strategy},
        {.info = {.id = PCTL_HOOK_URETPROBE,
                  .name = "uretprobe",
                  .aliases = {"ur"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::uprobe,
                  .section = "uretprobe",
                  .target_kind = TargetKind::user_function,
                  .needs_btf = false,
                  .entry_args = false,
                  .return_value = true,
                  .phase = ExecPhase::on_return,
                  .sees = "a user-space function's return value; a successful execve never returns",
                  .min_kernel = "4.3"},
         .make = make_uretprobe_strategy},
        {.info = {.id = PCTL_HOOK_KSYSCALL,
                  .name = "ksyscall",
                  .aliases = {"syscall"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::kprobe,
                  .section = "ksyscall",
                  .target_kind = TargetKind::syscall,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees = "a syscall's own arguments via a kprobe on its entry wrapper (user pointers)",
                  .min_kernel = "4.1"},
         .make = make_ksyscall_strategy},
        {.info = {.id = PCTL_HOOK_LSM,
                  .name = "lsm",
                  .aliases = {"lsm_hook"},
                  .program_type = ProgramType::lsm,
                  .mechanism = Mechanism::bpf_lsm,
                  .section = "lsm",
                  .target_kind = TargetKind::lsm_hook,
                  .needs_btf = true,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees = "a security hook's arguments typed by BTF (bprm_check_security: the opened binary), "
                          "before the exec commits; only execs that found their file",
                  .min_kernel = "5.7"},
         .make = make_lsm_strategy},
        {.info = {.id = PCTL_HOOK_KPROBE_MULTI,
                  .name = "kprobe.multi",
                  .aliases = {"kprobe_multi", "kpm"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::fprobe,
                  .section = "kprobe.multi",
                  .target_kind = TargetKind::kernel_functions,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees = "many kernel functions' entries in one program (for execve the exec path: bprm_execve, "
                          "search_binary_handler, begin_new_exec...), each event naming its function",
                  .min_kernel = "5.18"},
         .make = make_kprobe_multi_strategy},
        {.info = {.id = PCTL_HOOK_UPROBE_MULTI,
                  .name = "uprobe.multi",
                  .aliases = {"uprobe_multi", "upm"},
                  .program_type = ProgramType::kprobe,
                  .mechanism = Mechanism::uprobe_multi,
                  .section = "uprobe.multi",
                  .target_kind = TargetKind::user_functions,
                  .needs_btf = false,
                  .entry_args = true,
                  .return_value = false,
                  .phase = ExecPhase::before_exec,
                  .sees = "many user functions of one binary in one program (for execve libc's exec wrappers: "
                          "execve, execv, execvp...), each event naming its function",
                  .min_kernel = "6.6"},
         .make = make_uprobe_multi_strategy},
    };
    return entries;
}

}  // namespace

Registry::Registry()
{
    for (const auto &entry : table())
        strategies_.push_back(entry.make(entry.info));
}

const Registry &Registry::instance()
{
    static const Registry registry;
    return registry;
}

std::vector<const HookInfo *> Registry::infos() const
{
    std::vector<const HookInfo *> out;
    for (const auto &strategy : strategies_)
        out.push_back(&strategy->info());
    return out;
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
    NearestNames nearest(name);
    for (const auto &strategy : strategies_) {
        nearest.offer(strategy->info().name);
        for (const auto &alias : strategy->info().aliases)
            nearest.offer(alias);
    }
    return fail(
        ErrorKind::unknown_hook, fmt::format("unknown hook type '{}'", name),
        fmt::format("{}choose one of: {} (probectl list shows them)", did_you_mean(nearest.best()), names()));
}

std::string Registry::names() const
{
    std::vector<std::string_view> names;
    for (const auto &strategy : strategies_)
        names.push_back(strategy->info().name);
    return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace probectl
