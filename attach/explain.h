// probectl explain: which hook types can reach a target on this kernel, and why the others cannot.
// A function of the kernel's facts and of a trial (a real attach, in probectl; a stand-in in tests).
#pragma once

#include "attach/resolve.h"
#include "attach/strategy.h"
#include "attach/target.h"
#include "loader/kernel_facts.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace probectl {

struct HookVerdict {
    std::string hook;
    bool works = false;
    std::string attach_point;  // where this hook goes for the target; empty when it cannot resolve it
    std::string note;          // a substitution probectl made (do_execve)
    std::string reason;        // why it does not work
    std::string decodes;       // what attach decodes there, off the exec path: "dfd (int), ..."
    std::optional<ResolvedTarget> resolved;  // where resolution put it, when it could
};

struct FunctionFacts {
    std::string name;
    bool in_kallsyms = false;
    std::vector<std::string> clones;  // name.isra.0, name.constprop.0, ...
    std::optional<int> btf_params;    // nullopt: no BTF FUNC
    std::optional<bool> traceable;    // available_filter_functions; nullopt: unreadable
    std::optional<bool> blacklisted;  // on the kprobe blacklist; nullopt: debugfs not mounted
    [[nodiscard]] bool inlined_or_absent() const { return !in_kallsyms && !btf_params; }
};

struct Alternative {
    std::string name;  // a function or CATEGORY:NAME that sees the same event
    bool present = false;
    // present: the hook types that work here and attach there; nullopt when none of its kinds was tried
    // (explain bprm_execve tries the kernel-function hooks only)
    std::optional<std::vector<std::string>> hooks;
};

struct ExplainReport {
    std::string target;
    std::string kind;  // "exec event", "kernel function", "tracepoint", "user function"
    std::optional<FunctionFacts> function;
    std::vector<std::string> details;  // facts the CLI adds: prototype, format fields, ELF symbol
    std::vector<HookVerdict> hooks;
    std::vector<Alternative> alternatives;  // for the exec path
};

// nullopt when the hook attached at the resolved point; otherwise why not, in words. Called for
// several hook types at once, on several threads (loader/concurrent.h).
using Trial = std::function<std::optional<std::string>(const AttachStrategy &, const ResolvedTarget &)>;

ExplainReport explain(const Target &target, const KernelSymbols &symbols, const Trial &trial);

FunctionFacts function_facts(const KernelSymbols &symbols, const std::string &name);

}  // namespace probectl
