#include "bench/micro.h"

#include "attach/registry.h"
#include "attach/target.h"
#include "bench/capture_cost.h"
#include "bench/cpu_pin.h"
#include "bench/hook_targets.h"
#include "bench/trigger.h"
#include "bench_micro.skel.h"
#include "loader/core_btf.h"
#include "loader/kernel_facts.h"
#include "loader/own_files.h"
#include "loader/stop_signal.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <memory>

namespace probectl::bench {
namespace {

// The kernel function behind getpgid: the architecture's syscall wrapper, as ksyscall finds it.
std::string getpgid_function()
{
    const KernelSymbols &symbols = live_kernel_symbols();
    for (const char *name : {"__x64_sys_getpgid", "__arm64_sys_getpgid", "__se_sys_getpgid", "sys_getpgid"})
        if (symbols.in_kallsyms(name))
            return name;
    return "";
}

struct Skeleton {
    bench_micro_bpf *skel = nullptr;
    bpf_program *program = nullptr;
    ~Skeleton() { bench_micro_bpf::destroy(skel); }
};

// Kernel hooks fire on getpgid; uprobes on probectl's own trigger function.
Trigger trigger_of(const HookInfo &hook)
{
    const bool user =
        hook.target_kind == TargetKind::user_function || hook.target_kind == TargetKind::user_functions;
    return user ? Trigger::function : Trigger::syscall;
}

// Where getpgid (or the trigger function) passes for a hook taking this kind of target, as the
// user would name it to probectl attach.
std::string micro_target(TargetKind kind, const std::string &function, const std::string &binary)
{
    switch (kind) {
    case TargetKind::kernel_function:
    case TargetKind::kernel_functions: return function;
    case TargetKind::syscall: return "getpgid";
    case TargetKind::tracepoint: return "syscalls:sys_enter_getpgid";
    case TargetKind::raw_tracepoint: return "sys_enter";  // the program keeps getpgid's calls only
    case TargetKind::user_function:
    case TargetKind::user_functions: return fmt::format("{}:{}", binary, kTriggerSymbol);
    case TargetKind::lsm_hook: return "task_getpgid";  // getpgid asks the LSMs about the task
    }
    return "";
}

std::string attach_point_of(const HookInfo &hook, const ResolvedTarget &target)
{
    if (hook.target_kind == TargetKind::raw_tracepoint)
        return fmt::format("{} (syscall {} only)", target.describe(), SYS_getpgid);
    return target.describe();
}

// The hook's trivial program in bench_micro.bpf.c: "bench_" and the hook's name.
std::string program_name_of(const HookInfo &hook)
{
    std::string name = fmt::format("bench_{}", hook.name);
    std::ranges::replace(name, '.', '_');
    return name;
}

// One hook's benchmark program, prepared by its strategy and loaded (not yet attached).
Expected<std::unique_ptr<Skeleton>> load(const AttachStrategy &strategy, const ResolvedTarget &target)
{
    const HookInfo &hook = strategy.info();
    auto s = std::make_unique<Skeleton>();
    s->skel = bench_micro_bpf::open(object_open_options());
    if (!s->skel)
        return fail_at(Stage::open, fmt::format("opening the benchmark object failed: {}", errno_text(errno)),
                       errno);
    s->program = bpf_object__find_program_by_name(s->skel->obj, program_name_of(hook).c_str());
    if (!s->program)
        return fail(ErrorKind::internal, fmt::format("probes/bench_micro.bpf.c has no program {} for {}",
                                                     program_name_of(hook), hook.name));
    bpf_program *each = nullptr;
    bpf_object__for_each_program(each, s->skel->obj) bpf_program__set_autoload(each, each == s->program);
    s->skel->rodata->targ_tgid = static_cast<__u32>(getpid());
    s->skel->rodata->targ_syscall_nr = SYS_getpgid;
    if (auto prepared = strategy.prepare(s->program, target); !prepared)
        return std::unexpected(prepared.error());
    if (int err = bench_micro_bpf::load(s->skel); err != 0)
        return fail_at(Stage::load,
                       fmt::format("loading the {} benchmark program failed: {}", hook.name, errno_text(-err)),
                       -err);
    return s;
}

std::uint64_t read_hits(const Skeleton &s)
{
    const int cpus = libbpf_num_possible_cpus();
    std::vector<std::uint64_t> per_cpu(static_cast<size_t>(cpus > 0 ? cpus : 1));
    const std::uint32_t slot = 0;
    if (bpf_map_lookup_elem(bpf_map__fd(s.skel->maps.hits), &slot, per_cpu.data()) != 0)
        return 0;
    std::uint64_t sum = 0;
    for (auto v : per_cpu)
        sum += v;
    return sum;
}

struct Candidate {
    const AttachStrategy *strategy = nullptr;
    ResolvedTarget target;
    MicroHook result;
    std::unique_ptr<Skeleton> loaded;
};

}  // namespace

Expected<MicroTier> run_micro(const MicroOptions &options)
{
    const std::string function = getpgid_function();
    const std::string binary = own_binary();
    MicroTier tier;
    tier.samples = options.samples;
    tier.sample_seconds = options.sample_seconds;

    auto targets = hook_targets(options.hooks, false);
    if (!targets)
        return std::unexpected(targets.error());
    std::vector<Candidate> candidates;
    for (const auto &t : *targets) {
        Candidate c;
        c.strategy = t.strategy;
        const HookInfo &hook = t.strategy->info();
        c.result.hook = t.name;
        c.result.trigger = trigger_name(trigger_of(hook));
        c.result.not_measured = t.not_measured;
        const std::string named = micro_target(hook.target_kind, function, binary);
        c.result.attach_point = named;
        if (c.result.not_measured.empty() && named.empty())
            c.result.not_measured = "no getpgid syscall function in kallsyms";
        if (c.result.not_measured.empty()) {
            auto parsed = parse_target(named);
            auto resolved = parsed ? t.strategy->resolve(*parsed, ResolveOptions{.strict = true})
                                   : Expected<ResolvedTarget>(std::unexpected(parsed.error()));
            if (resolved) {
                c.target = *resolved;
                c.result.attach_point = attach_point_of(hook, c.target);
            } else {
                c.result.not_measured = resolved.error().one_line();
            }
        }
        if (c.result.not_measured.empty()) {
            if (auto loaded = load(*c.strategy, c.target))
                c.loaded = std::move(*loaded);
            else
                c.result.not_measured = loaded.error().message;
        }
        candidates.push_back(std::move(c));
    }

    const CpuPin pin;  // the trigger loop stays on one CPU for the whole tier
    tier.cpu = pin.cpu();
    MicroBaseline syscall_base{trigger_name(Trigger::syscall), {}};
    MicroBaseline function_base{trigger_name(Trigger::function), {}};
    bool used_syscall = false, used_function = false;

    // Each sample loads its program afresh: before 5.11 a detached fentry/fexit program cannot be
    // attached again, and a fresh load keeps every hook's samples alike. Loading is not timed here.
    for (int round = 0; round < options.samples; round++) {
        for (auto &c : candidates) {
            if (!c.result.not_measured.empty())
                continue;
            if (!c.loaded) {
                auto loaded = load(*c.strategy, c.target);
                if (!loaded) {
                    c.result.not_measured = loaded.error().message;
                    continue;
                }
                c.loaded = std::move(*loaded);
            }
            const Trigger trigger = trigger_of(c.strategy->info());
            MicroBaseline &base = trigger == Trigger::syscall ? syscall_base : function_base;
            (trigger == Trigger::syscall ? used_syscall : used_function) = true;
            if (round == 0)
                trigger_for(trigger, options.warmup_seconds);
            const double baseline = trigger_for(trigger, options.sample_seconds).ns_per_call();
            base.ns_per_call.push_back(baseline);

            auto attached = c.strategy->attach_program(c.loaded->program, c.target);
            if (!attached) {
                c.result.not_measured = attached.error().message;
                c.loaded.reset();
                continue;
            }
            bpf_link *link = *attached;
            trigger_for(trigger, options.warmup_seconds);
            const std::uint64_t before = read_hits(*c.loaded);
            const TriggerRun run = trigger_for(trigger, options.sample_seconds);
            const std::uint64_t after = read_hits(*c.loaded);
            bpf_link__destroy(link);
            c.loaded.reset();
            c.result.ns_per_call.push_back(run.ns_per_call());
            c.result.added_ns.push_back(run.ns_per_call() - baseline);
            c.result.triggers += run.calls;
            c.result.hits += after - before;
        }
        if (stop_signal())
            break;
    }
    // probectl's own objects where the trivial programs stood: the exec object against the generic one.
    const CaptureOptions capture{std::min(options.samples, 3), options.sample_seconds};
    for (const auto &c : candidates)
        if (c.result.not_measured.empty() && c.strategy->generic_capture() && !stop_signal())
            tier.capture.push_back(
                measure_capture(*c.strategy, c.target, trigger_of(c.strategy->info()), capture));

    if (used_syscall)
        tier.baselines.push_back(std::move(syscall_base));
    if (used_function)
        tier.baselines.push_back(std::move(function_base));
    for (auto &c : candidates)
        tier.hooks.push_back(std::move(c.result));
    return tier;
}

std::vector<std::string> hooks_without_micro_program()
{
    std::vector<std::string> missing;
    const std::unique_ptr<bench_micro_bpf, void (*)(bench_micro_bpf *)> skel(bench_micro_bpf::open(),
                                                                             bench_micro_bpf::destroy);
    for (const auto &strategy : Registry::instance().all())
        if (!skel || !bpf_object__find_program_by_name(skel->obj, program_name_of(strategy->info()).c_str()))
            missing.emplace_back(strategy->info().name);
    return missing;
}

}  // namespace probectl::bench
