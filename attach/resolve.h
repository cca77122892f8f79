// Target resolution: from what the user named to the attach point a hook uses on this kernel.
// Pure functions of the kernel's facts, so they are tested on facts recorded from other kernels.
#pragma once

#include "attach/target.h"
#include "loader/bpf_probe.h"
#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/kernel_facts.h"
#include "loader/value_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace probectl {

struct ResolveOptions {
    bool strict = false;  // refuse to substitute another function for an inlined one
};

// One attach point of a hook on many (kprobe.multi, uprobe.multi).
struct Site {
    std::string name;            // the kernel or user function
    std::uint64_t offset = 0;    // user functions: its file offset
    std::uint32_t layout = 0;    // user functions: where its arguments are (enum pctl_arg_layout)
    std::string exec_call = {};  // a libc exec function: the system call it ends in (execve, execveat)
};

struct ResolvedTarget {
    std::string attach_point;  // kernel function, syscall, "category:name", tracepoint, or binary path
    std::string symbol;        // user_function: the symbol; empty otherwise
    std::uint64_t offset = 0;  // user_function: file offset of the symbol
    // kernel_functions, user_functions: every function attached, in attach-cookie order (an
    // event's site N is sites[N - 1]); attach_point then says what was asked for, or the binary
    std::vector<Site> sites;
    ArgumentLayout layout;
    std::string note;  // one line when probectl chose something other than what was named
    // A syscall event (attach/syscall_event.h): the syscall whose arguments each event reads,
    // wherever the hook attaches for it (__x64_sys_openat, sys_enter, libc's openat); empty otherwise
    std::string syscall;
    // A generic capture (attach points off the exec path): what each event reads, described by the
    // kernel (attach/values.h); the hook's generic object is attached then. values: one list for
    // every event; site_values: kprobe.multi's, one for each site (each function's own prototype).
    std::optional<ValueList> values;
    std::vector<ValueList> site_values;

    // "bprm_execve", "syscalls:sys_enter_execve", "/lib/x86_64-linux-gnu/libc.so.6:execve"
    [[nodiscard]] std::string describe() const;
    // The function an event's site names; empty when it names none of them (0: a single-point hook).
    [[nodiscard]] std::string site_name(std::uint32_t site) const;
    // What an event at this site carries, in a generic capture; nullptr for an exec capture.
    [[nodiscard]] const ValueList *values_at(std::uint32_t site) const;
    [[nodiscard]] bool generic() const { return values || !site_values.empty(); }
};

// How a hook of this kind resolves the target. ELF lookups (user functions) read the file system.
Expected<ResolvedTarget> resolve_target(const HookInfo &hook, const Target &target, const KernelSymbols &symbols,
                                        const ResolveOptions &options);

}  // namespace probectl
