// Target resolution: from what the user named to the attach point a hook uses on this kernel.
// Pure functions of the kernel's facts, so they are tested on facts recorded from other kernels.
#pragma once

#include "attach/target.h"
#include "loader/bpf_probe.h"
#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/kernel_facts.h"

#include <cstdint>
#include <string>
#include <vector>

namespace probectl {

struct ResolveOptions {
    bool strict = false;  // refuse to substitute another function for an inlined one
};

struct ResolvedTarget {
    std::string attach_point;  // kernel function, syscall, "category:name", tracepoint, or binary path
    std::string symbol;        // user_function: the symbol; empty otherwise
    std::uint64_t offset = 0;  // user_function: file offset of the symbol
    // kernel_functions: every function attached, in attach-cookie order (an event's site N is
    // sites[N - 1]); attach_point then says what was asked for ("the exec path", "bprm_*")
    std::vector<std::string> sites;
    ArgumentLayout layout;
    std::string note;  // one line when probectl chose something other than what was named

    // "bprm_execve", "syscalls:sys_enter_execve", "/lib/x86_64-linux-gnu/libc.so.6:execve"
    [[nodiscard]] std::string describe() const;
};

// How a hook of this kind resolves the target. ELF lookups (user functions) read the file system.
Expected<ResolvedTarget> resolve_target(const HookInfo &hook, const Target &target, const KernelSymbols &symbols,
                                        const ResolveOptions &options);

}  // namespace probectl
