// The facts of one hook type: a row of the registry table (attach/registry.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace probectl {

// What kind of attach point a hook takes; decides how targets are resolved.
enum class TargetKind {
    kernel_function,  // kprobe, kretprobe, fentry, fexit
    syscall,          // ksyscall
    tracepoint,       // tracepoint: CATEGORY:NAME, from tracefs
    raw_tracepoint,   // tp_btf, raw_tp: NAME
    user_function,    // uprobe, uretprobe: BINARY:SYMBOL
};

// When, relative to the exec, the hook runs.
enum class ExecPhase { before_exec, after_exec, on_return };

struct HookInfo {
    std::uint32_t id;  // enum pctl_hook
    std::string_view name;
    std::vector<std::string_view> aliases;
    std::string_view program_type;  // the kernel's BPF_PROG_TYPE_*
    std::string_view section;       // libbpf SEC() name
    TargetKind target_kind;
    bool needs_btf;     // attach point must be described by kernel BTF
    bool entry_args;    // can read the attach point's arguments
    bool return_value;  // can read its return value
    ExecPhase phase;
    std::string_view sees;        // in words, for `probectl list`
    std::string_view min_kernel;  // first mainline kernel with this hook type
};

std::string_view phase_name(ExecPhase phase);
std::string_view target_kind_name(TargetKind kind);
// The inverse of phase_name / target_kind_name (for recorded files); nullopt for an unknown name.
std::optional<ExecPhase> phase_from_name(std::string_view name);
std::optional<TargetKind> target_kind_from_name(std::string_view name);

}  // namespace probectl
