#include "bench/startup.h"

#include "attach/support.h"
#include "bench/first_event.h"
#include "bench/hook_targets.h"
#include "loader/concurrent.h"
#include "loader/kernel_btf.h"
#include "loader/kernel_facts.h"
#include "loader/stop_signal.h"

#include <bpf/btf.h>
#include <fmt/format.h>

#include <chrono>

namespace probectl::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double ms(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

struct StartupCandidate {
    const AttachStrategy *strategy;
    ResolvedTarget target;
    StartupHook *result;
};

ProbeFilter silent()
{
    ProbeFilter filter;
    filter.tgid = ProbeFilter::kNoProcess;  // attached for real, reporting nothing
    return filter;
}

}  // namespace

Expected<StartupTier> run_startup(const StartupOptions &options)
{
    StartupTier tier;
    tier.rounds = options.rounds;
    // First, from processes of their own, before this one has loaded anything.
    tier.first_event = run_first_event({options.first_event_rounds, options.bpftrace});
    auto start = Clock::now();
    const KernelSymbols &symbols = live_kernel_symbols();
    symbols.load_kallsyms();
    symbols.load_btf();
    tier.symbols_ms = ms_since(start);
    start = Clock::now();
    btf *vmlinux = btf__load_vmlinux_btf();
    tier.btf_parse_ms = ms_since(start);
    btf__free(vmlinux);

    auto targets = hook_targets(options.hooks, true);
    if (!targets)
        return std::unexpected(targets.error());
    std::vector<StartupCandidate> ready;
    tier.hooks.reserve(targets->size());
    for (const auto &t : *targets) {
        StartupHook &hook = tier.hooks.emplace_back();
        hook.hook = t.name;
        hook.not_measured = t.not_measured;
        if (t.exec)
            ready.push_back({t.strategy, *t.exec, &hook});
    }

    for (int round = 0; round < options.rounds && !stop_signal(); round++) {
        for (auto &r : ready) {
            if (!r.result->not_measured.empty())
                continue;
            auto probe = attach_or_explain(*r.strategy, r.target, silent());
            if (!probe) {
                r.result->not_measured = probe.error().one_line();
                continue;
            }
            const StartupTimes &times = (*probe)->startup();
            r.result->open_ms.push_back(ms(times.open));
            r.result->load_ms.push_back(ms(times.load));
            r.result->attach_ms.push_back(ms(times.attach));
            const auto detach = Clock::now();
            probe->reset();
            r.result->detach_ms.push_back(ms_since(detach));
        }
    }

    for (const auto &r : ready)
        if (r.result->not_measured.empty())
            tier.together_hooks.push_back(r.result->hook);
    // All of them together, as probectl compare attaches them: several objects loading at once, and
    // every link detached at once.
    std::vector<const StartupCandidate *> together;
    for (const auto &r : ready)
        if (r.result->not_measured.empty())
            together.push_back(&r);
    // As compare holds it: the kernel's BTF parsed once, each object given its cut (loader/kernel_btf.h).
    const auto kernel_btf = hold_kernel_btf();
    for (int round = 0; round < options.rounds && !together.empty() && !stop_signal(); round++) {
        std::vector<std::optional<Expected<std::unique_ptr<BpfProbe>>>> probes(together.size());
        const auto begun = Clock::now();
        for_each_at_once(together.size(), kTrialWorkers, [&](std::size_t i) {
            probes[i] = attach_or_explain(*together[i]->strategy, together[i]->target, silent());
        });
        tier.together_ms.push_back(ms_since(begun));
        for (auto &probe : probes)
            if (!*probe)
                return std::unexpected(probe->error());
        const auto detach = Clock::now();
        for_each_at_once(probes.size(), probes.size(), [&](std::size_t i) { probes[i].reset(); });
        tier.together_detach_ms.push_back(ms_since(detach));
    }
    return tier;
}

}  // namespace probectl::bench
