// probectl targets: the attach points of this kernel (and of a binary) that match a glob, each with
// the hook types that can use it, found from the kernel's own lists (kallsyms, function tracing's
// list, the kprobe blacklist, BTF, tracefs) as target resolution reads them.
#pragma once

#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/kernel_facts.h"

#include <string>
#include <string_view>
#include <vector>

namespace probectl {

// What an attach point is; the order probectl lists them in.
enum class TargetClass {
    kernel_function,  // a kernel function: vfs_read
    syscall,          // a syscall, named without prefix: openat
    tracepoint,       // CATEGORY:NAME, from tracefs
    raw_tracepoint,   // a BTF tracepoint with no tracefs event (btf_trace_<name> only)
    lsm_hook,         // an LSM hook, named as bpf_lsm_<hook> is
    user_function,    // BINARY:FUNCTION
};

std::string_view target_class_name(TargetClass kind);  // "function", "tracepoint", ...

struct TargetEntry {
    TargetClass kind = TargetClass::kernel_function;
    std::string name;                     // as attach and explain take it
    std::vector<std::string_view> hooks;  // the hook types that can attach to it, registry order
    std::string note;                     // why fewer than its kind allows: "inlined", "kprobe blacklist"
};

// The kernel's attach points whose names match the glob (fnmatch, no flags: '*' also matches ':'),
// a tracepoint by CATEGORY:NAME or by NAME (as tp_btf and raw_tp name it), sorted by kind, then
// name. hooks: the registry's entries, in its order.
std::vector<TargetEntry> kernel_targets(std::string_view pattern, const KernelSymbols &symbols,
                                        const std::vector<const HookInfo *> &hooks);

// The functions of a binary whose names match the glob: BINARY:FUNCTION, for the user-function hooks.
Expected<std::vector<TargetEntry>> binary_targets(const std::string &binary, std::string_view pattern,
                                                  const std::vector<const HookInfo *> &hooks);

// The attach points matching a pattern: a binary's functions when it names one (names_binary),
// else the kernel's.
Expected<std::vector<TargetEntry>> find_targets(const std::string &pattern, const KernelSymbols &symbols,
                                                const std::vector<const HookInfo *> &hooks);

// Whether a pattern names a binary's functions (BINARY:GLOB, the binary a path, libc, or a file
// in the library directories or $PATH) rather than tracepoints (CATEGORY:GLOB).
bool names_binary(std::string_view pattern, const KernelSymbols &symbols);

}  // namespace probectl
