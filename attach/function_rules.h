// Which hook types may attach to a kernel function, and why not: the one set of rules that target
// resolution (attach, explain, compare) and probectl targets apply, from the kernel's own lists
// (kallsyms, BTF, function tracing's list, the kprobe blacklist) and the verifier's refusals.
#pragma once

#include "loader/hook_info.h"
#include "loader/kernel_facts.h"

#include <optional>
#include <string>
#include <string_view>

namespace probectl {

// Why this hook type cannot attach to the kernel function, or nullopt when it can.
std::optional<std::string> kernel_function_problem(const HookInfo &hook, const KernelSymbols &symbols,
                                                   std::string_view name);

// The most arguments a BPF trampoline takes on this kernel release and this machine's
// architecture: x86-64 6 before 6.5 and 12 since; arm64 8. nullopt when probectl does not know.
std::optional<int> trampoline_max_args(std::string_view release);

}  // namespace probectl
