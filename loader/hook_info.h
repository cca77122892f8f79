// The facts of one hook type: one entry of the registry (attach/registry.cpp), in named fields.
// Everything else that knows about hook types (list, doctor, explain, compare, bench, the labs,
// the tests and the kernel matrix) reads them from the registry rather than naming hooks itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace probectl {

// What kind of attach point a hook takes; decides how targets are resolved.
enum class TargetKind {
    kernel_function,   // kprobe, kretprobe, fentry, fexit
    syscall,           // ksyscall
    tracepoint,        // tracepoint: CATEGORY:NAME, from tracefs
    raw_tracepoint,    // tp_btf, raw_tp: NAME
    user_function,     // uprobe, uretprobe: BINARY:SYMBOL
    lsm_hook,          // lsm: a security hook, named without security_ (bprm_check_security)
    kernel_functions,  // kprobe.multi: many kernel functions at once, by list or glob (bprm_*)
    user_functions,    // uprobe.multi: many functions of one binary at once: BINARY:NAME,NAME
};

// When, relative to the exec, the hook runs.
enum class ExecPhase { before_exec, after_exec, on_return };

// The kernel's program type (BPF_PROG_TYPE_*) the hook's object is loaded as.
enum class ProgramType { kprobe, tracepoint, raw_tracepoint, tracing, lsm };

// The kernel machinery the hook stands on: which kernel facts explain its absence.
enum class Mechanism {
    kprobe,          // a kprobe (PMU or tracefs kprobe_events): CONFIG_KPROBES
    uprobe,          // a uprobe (PMU or tracefs uprobe_events): CONFIG_UPROBES
    tracepoint,      // a perf-event tracepoint, found in tracefs
    raw_tracepoint,  // a raw tracepoint link
    trampoline,      // a BPF trampoline on a BTF-described function (fentry, fexit, tp_btf)
    bpf_lsm,         // a BPF trampoline on an LSM hook: CONFIG_BPF_LSM, and bpf among the active LSMs
    fprobe,          // ftrace's function probes, many functions in one link: CONFIG_FPROBE (5.18)
    uprobe_multi,    // uprobes, many in one BPF link: CONFIG_UPROBES and a 6.6 kernel
};

struct HookInfo {
    std::uint32_t id = 0;  // enum pctl_hook (probes/event.h): the id its events carry
    std::string_view name;
    std::vector<std::string_view> aliases;
    ProgramType program_type = ProgramType::kprobe;
    Mechanism mechanism = Mechanism::kprobe;
    std::string_view section;  // libbpf SEC() name
    TargetKind target_kind = TargetKind::kernel_function;
    bool needs_btf = false;     // attach point must be described by kernel BTF
    bool entry_args = false;    // can read the attach point's arguments
    bool return_value = false;  // can read its return value
    ExecPhase phase = ExecPhase::before_exec;
    std::string_view sees;        // in words, for `probectl list`
    std::string_view min_kernel;  // first mainline kernel with this hook type
};

std::string_view phase_name(ExecPhase phase);
std::string_view target_kind_name(TargetKind kind);
std::string_view program_type_name(ProgramType type);  // "BPF_PROG_TYPE_KPROBE"
// The inverse of phase_name / target_kind_name / program_type_name (for recorded files and libbpf's
// answers); nullopt for an unknown name.
std::optional<ExecPhase> phase_from_name(std::string_view name);
std::optional<TargetKind> target_kind_from_name(std::string_view name);
std::optional<ProgramType> program_type_from_name(std::string_view name);

}  // namespace probectl
