#include "attach/explain.h"

#include <algorithm>

#include "attach/event_catalogue.h"
#include "attach/function_rules.h"
#include "attach/registry.h"
#include "attach/syscall_event.h"
#include "loader/concurrent.h"
#include "loader/spelling.h"
#include "loader/text.h"

namespace probectl {
namespace {

bool is_exec_path(const std::string &name)
{
    return name == "do_execve" || name == "bprm_execve" || name == "begin_new_exec" ||
           name.starts_with("do_execveat_common") || name == "__x64_sys_execve" ||
           name == "syscalls:sys_enter_execve" || name == "sched:sched_process_exec";
}

// The functions and tracepoints that see an exec, and which of them this kernel has.
// The hook types of these kinds whose verdict here is that they work; nullopt when none was tried.
std::optional<std::vector<std::string>> working(const std::vector<HookVerdict> &verdicts,
                                                std::initializer_list<TargetKind> kinds)
{
    std::optional<std::vector<std::string>> out;
    for (const auto &verdict : verdicts)
        if (const AttachStrategy *strategy = Registry::instance().find(verdict.hook);
            strategy && std::ranges::find(kinds, strategy->info().target_kind) != kinds.end()) {
            if (!out)
                out.emplace();
            if (verdict.works)
                out->push_back(verdict.hook);
        }
    return out;
}

// Where else the exec event is seen, and by which of the hook types that work here: a function
// present where no kprobe or fentry works is no alternative (6.18 here: no kprobes, no trampolines).
std::vector<Alternative> exec_path_alternatives(const KernelSymbols &symbols,
                                                const std::vector<HookVerdict> &verdicts)
{
    std::vector<std::string> functions{"bprm_execve", "do_execveat_common"};
    for (const auto &clone : symbols.clones_of("do_execveat_common"))
        if (!clone.ends_with(".cold"))
            functions.push_back(clone);
    functions.insert(functions.end(), {"__x64_sys_execve", "begin_new_exec"});
    std::vector<Alternative> out;
    const auto at_functions = working(verdicts, {TargetKind::kernel_function, TargetKind::kernel_functions});
    for (const auto &name : functions) {
        const bool present = symbols.in_kallsyms(name);
        auto hooks = present ? at_functions : std::nullopt;
        if (hooks)  // a hook type that works here may still not take this function (a clone without BTF)
            std::erase_if(*hooks, [&](const std::string &hook) {
                const AttachStrategy *strategy = Registry::instance().find(hook);
                return !strategy || kernel_function_problem(strategy->info(), symbols, name).has_value();
            });
        out.push_back({name, present, std::move(hooks)});
    }
    // sys_enter_execve is a tracefs event only (raw tracepoints see sys_enter); sched_process_exec both
    const auto at_syscall = working(verdicts, {TargetKind::tracepoint});
    const auto at_sched = working(verdicts, {TargetKind::tracepoint, TargetKind::raw_tracepoint});
    for (const auto &[category, name] :
         {std::pair{"syscalls", "sys_enter_execve"}, {"sched", "sched_process_exec"}}) {
        const bool present = symbols.has_tracepoint(category, name) != false;
        out.push_back(
            {std::string(category) + ":" + name, present,
             present ? (category == std::string_view("syscalls") ? at_syscall : at_sched) : std::nullopt});
    }
    return out;
}

// Which hook types a target is for: all of them for the exec event; by the target's form otherwise.
bool hook_takes(const HookInfo &hook, const Target &target, bool binary_like)
{
    switch (target.kind) {
    case Target::Kind::exec_event: return true;
    case Target::Kind::name:
        return hook.target_kind == TargetKind::kernel_function || hook.target_kind == TargetKind::syscall ||
               hook.target_kind == TargetKind::raw_tracepoint || hook.target_kind == TargetKind::lsm_hook ||
               hook.target_kind == TargetKind::kernel_functions;
    case Target::Kind::qualified:
        return binary_like
                   ? hook.target_kind == TargetKind::user_function ||
                         hook.target_kind == TargetKind::user_functions
                   : hook.target_kind == TargetKind::tracepoint || hook.target_kind == TargetKind::raw_tracepoint;
    }
    return false;
}

}  // namespace

FunctionFacts function_facts(const KernelSymbols &symbols, const std::string &name)
{
    FunctionFacts facts;
    facts.name = name;
    facts.in_kallsyms = symbols.in_kallsyms(name);
    for (const auto &clone : symbols.clones_of(name))
        facts.clones.push_back(clone);
    facts.btf_params = symbols.btf_func_nargs(name);
    facts.traceable = symbols.is_traceable(name);
    facts.blacklisted = symbols.is_blacklisted(name);
    return facts;
}

ExplainReport explain(const Target &target, const KernelSymbols &symbols, const Trial &trial)
{
    ExplainReport report;
    report.target = target.text;
    const bool binary_like = target.kind == Target::Kind::qualified &&
                             (target.left.find('/') != std::string::npos || target.left == "libc" ||
                              target.left.find(".so") != std::string::npos);
    switch (target.kind) {
    case Target::Kind::exec_event: report.kind = "exec event"; break;
    case Target::Kind::name: report.kind = "kernel function"; break;
    case Target::Kind::qualified: report.kind = binary_like ? "user function" : "tracepoint"; break;
    }
    if (target.kind == Target::Kind::name || target.named_do_execve)
        report.function = function_facts(symbols, target.right);
    // A name no kernel function has may be a syscall's, a raw tracepoint's or an LSM hook's. A
    // syscall is an event every hook type sees somewhere (attach/syscall_event.h): each says where.
    const bool no_function = target.kind == Target::Kind::name && report.function->inlined_or_absent() &&
                             report.function->clones.empty();
    const auto syscall = no_function ? find_syscall_event(target.right, symbols) : std::nullopt;
    const CatalogueEvent *declared = no_function ? find_catalogue_event(target.right) : nullptr;
    if (syscall) {
        report.kind = "syscall";
        report.details.push_back(fmt::format("syscall {} in this architecture's table; it enters the kernel at {}",
                                             syscall->number, syscall->wrapper));
    } else if (declared) {
        report.kind = "event";
        report.details.push_back(std::string(declared->what));
    }
    const bool every_hook =
        syscall.has_value() || declared != nullptr;  // an event: each hook type says where, or why not
    std::vector<HookVerdict> function_misses;        // kernel-function hooks' verdicts when it is no function
    std::vector<std::pair<std::size_t, const AttachStrategy *>> trials;  // verdict index, hook

    for (const auto &strategy : Registry::instance().all()) {
        const HookInfo &hook = strategy->info();
        if (!every_hook && !hook_takes(hook, target, binary_like))
            continue;
        HookVerdict verdict;
        verdict.hook = std::string(hook.name);
        auto resolved = resolve_target(hook, target, symbols, ResolveOptions{});
        if (!resolved) {
            // A name that is no syscall or tracepoint is simply not for those hooks: leave them out.
            if (!every_hook && target.kind == Target::Kind::name &&
                hook.target_kind != TargetKind::kernel_function)
                continue;
            verdict.reason = resolved.error().message;
            if (no_function && !every_hook) {
                function_misses.push_back(std::move(verdict));
                continue;
            }
        } else {
            verdict.attach_point = resolved->describe();
            verdict.note = resolved->note;
            verdict.resolved = std::move(*resolved);
            trials.emplace_back(report.hooks.size(), strategy.get());
            if (no_function && !every_hook && report.hooks.empty())
                report.kind = std::string(target_kind_name(hook.target_kind));
        }
        report.hooks.push_back(std::move(verdict));
    }
    // Each trial loads, attaches and detaches, mostly waiting on the kernel: several at once.
    for_each_at_once(trials.size(), kTrialWorkers, [&](std::size_t i) {
        HookVerdict &verdict = report.hooks[trials[i].first];
        auto failure = trial(*trials[i].second, *verdict.resolved);
        verdict.works = !failure;
        verdict.reason = failure.value_or("");
    });
    if (no_function && report.hooks.empty()) {  // nothing of that name: the nearest functions'
        report.hooks = std::move(function_misses);
        if (auto near = symbols.nearest_functions(target.right); !near.empty())
            report.details.push_back(fmt::format("not a kernel function here; {}", trim(did_you_mean(near))));
    } else if (no_function) {  // a syscall's, an event's, a tracepoint's name: no function's facts
        report.function.reset();
    }

    const std::string name =
        target.kind == Target::Kind::qualified ? target.left + ":" + target.right : target.right;
    if (target.kind == Target::Kind::exec_event || is_exec_path(name))
        report.alternatives = exec_path_alternatives(symbols, report.hooks);
    return report;
}

}  // namespace probectl
