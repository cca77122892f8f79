#include "bench/micro.h"

#include "bench/cpu_pin.h"
#include "bench/hook_targets.h"
#include "bench/trigger.h"
#include "bench_micro.skel.h"
#include "cli/stop_signal.h"
#include "loader/core_btf.h"
#include "loader/kernel_facts.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

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

std::string self_path()
{
    char path[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    return n > 0 ? std::string(path, static_cast<size_t>(n)) : "/proc/self/exe";
}

struct Skeleton {
    bench_micro_bpf *skel = nullptr;
    bpf_program *program = nullptr;
    ~Skeleton() { bench_micro_bpf::destroy(skel); }
};

bpf_program *program_for(bench_micro_bpf *skel, std::string_view hook)
{
    auto &p = skel->progs;
    if (hook == "kprobe")
        return p.bench_kprobe;
    if (hook == "kretprobe")
        return p.bench_kretprobe;
    if (hook == "ksyscall")
        return p.bench_ksyscall;
    if (hook == "fentry")
        return p.bench_fentry;
    if (hook == "fexit")
        return p.bench_fexit;
    if (hook == "tracepoint")
        return p.bench_tracepoint;
    if (hook == "tp_btf")
        return p.bench_tp_btf;
    if (hook == "raw_tp")
        return p.bench_raw_tp;
    if (hook == "uprobe")
        return p.bench_uprobe;
    if (hook == "uretprobe")
        return p.bench_uretprobe;
    return nullptr;
}

Trigger trigger_of(std::string_view hook)
{
    return hook == "uprobe" || hook == "uretprobe" ? Trigger::function : Trigger::syscall;
}

std::string attach_point_of(std::string_view hook, const std::string &function, const std::string &binary)
{
    if (hook == "tracepoint")
        return "syscalls:sys_enter_getpgid";
    if (hook == "tp_btf" || hook == "raw_tp")
        return fmt::format("sys_enter (syscall {} only)", SYS_getpgid);
    if (hook == "ksyscall")
        return "getpgid";
    if (trigger_of(hook) == Trigger::function)
        return fmt::format("{}:{}", binary, kTriggerSymbol);
    return function;
}

// One hook's benchmark program, loaded (not yet attached).
Expected<std::unique_ptr<Skeleton>> load(std::string_view hook, const std::string &function)
{
    auto s = std::make_unique<Skeleton>();
    s->skel = bench_micro_bpf::open(object_open_options());
    if (!s->skel)
        return fail(ErrorKind::kernel, fmt::format("opening the benchmark object failed: {}", errno_text(errno)));
    s->program = program_for(s->skel, hook);
    bpf_program *each = nullptr;
    bpf_object__for_each_program(each, s->skel->obj) bpf_program__set_autoload(each, each == s->program);
    s->skel->rodata->targ_tgid = static_cast<__u32>(getpid());
    s->skel->rodata->targ_syscall_nr = SYS_getpgid;
    if (hook == "fentry" || hook == "fexit")
        if (int err = bpf_program__set_attach_target(s->program, 0, function.c_str()); err != 0)
            return fail(ErrorKind::kernel, fmt::format("{} cannot name {}: {}", hook, function, errno_text(-err)));
    if (int err = bench_micro_bpf::load(s->skel); err != 0)
        return fail(ErrorKind::kernel,
                    fmt::format("loading the {} benchmark program failed: {}", hook, errno_text(-err)), "", -err);
    return s;
}

bpf_link *attach(const Skeleton &s, std::string_view hook, const std::string &function, const std::string &binary)
{
    if (hook == "kprobe" || hook == "kretprobe")
        return bpf_program__attach_kprobe(s.program, hook == "kretprobe", function.c_str());
    if (hook == "ksyscall")
        return bpf_program__attach_ksyscall(s.program, "getpgid", nullptr);
    if (hook == "tracepoint")
        return bpf_program__attach_tracepoint(s.program, "syscalls", "sys_enter_getpgid");
    if (hook == "raw_tp")
        return bpf_program__attach_raw_tracepoint(s.program, "sys_enter");
    if (hook == "uprobe" || hook == "uretprobe") {
        bpf_uprobe_opts options{};
        options.sz = sizeof(options);
        options.retprobe = hook == "uretprobe";
        options.func_name = kTriggerSymbol;
        return bpf_program__attach_uprobe_opts(s.program, -1, binary.c_str(), 0, &options);
    }
    return bpf_program__attach_trace(s.program);  // fentry, fexit, tp_btf
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
    MicroHook result;
    std::unique_ptr<Skeleton> loaded;
};

}  // namespace

Expected<MicroTier> run_micro(const MicroOptions &options)
{
    const std::string function = getpgid_function();
    const std::string binary = self_path();
    MicroTier tier;
    tier.samples = options.samples;
    tier.sample_seconds = options.sample_seconds;

    auto targets = hook_targets(options.hooks, false);
    if (!targets)
        return std::unexpected(targets.error());
    std::vector<Candidate> candidates;
    for (const auto &t : *targets) {
        Candidate c;
        c.result.hook = t.name;
        c.result.trigger = trigger_name(trigger_of(c.result.hook));
        c.result.attach_point = attach_point_of(c.result.hook, function, binary);
        c.result.not_measured = t.not_measured;
        if (c.result.not_measured.empty() && trigger_of(c.result.hook) == Trigger::syscall && function.empty())
            c.result.not_measured = "no getpgid syscall function in kallsyms";
        if (c.result.not_measured.empty()) {
            if (auto loaded = load(c.result.hook, function))
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
                auto loaded = load(c.result.hook, function);
                if (!loaded) {
                    c.result.not_measured = loaded.error().message;
                    continue;
                }
                c.loaded = std::move(*loaded);
            }
            const Trigger trigger = trigger_of(c.result.hook);
            MicroBaseline &base = trigger == Trigger::syscall ? syscall_base : function_base;
            (trigger == Trigger::syscall ? used_syscall : used_function) = true;
            if (round == 0)
                trigger_for(trigger, options.warmup_seconds);
            const double baseline = trigger_for(trigger, options.sample_seconds).ns_per_call();
            base.ns_per_call.push_back(baseline);

            bpf_link *link = attach(*c.loaded, c.result.hook, function, binary);
            if (!link) {
                c.result.not_measured =
                    fmt::format("attaching to {} failed: {}", c.result.attach_point, errno_text(errno));
                c.loaded.reset();
                continue;
            }
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
    if (used_syscall)
        tier.baselines.push_back(std::move(syscall_base));
    if (used_function)
        tier.baselines.push_back(std::move(function_base));
    for (auto &c : candidates)
        tier.hooks.push_back(std::move(c.result));
    return tier;
}

}  // namespace probectl::bench
