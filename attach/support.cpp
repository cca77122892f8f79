#include "attach/support.h"

#include <fmt/format.h>

#include <linux/capability.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <vector>

#include "attach/registry.h"
#include "loader/concurrent.h"
#include "loader/core_btf.h"
#include "loader/kernel_btf.h"
#include "loader/kernel_facts.h"

namespace probectl {
namespace {

constexpr int kENOTSUPP = 524;  // the kernel's internal "not supported", returned by BPF syscalls

// kprobes, uprobes (and their return forms) and tracepoints attach through perf_event_open; raw
// tracepoints and trampolines through BPF links of their own.
bool attaches_by_perf_event(const HookInfo &hook)
{
    return hook.mechanism == Mechanism::kprobe || hook.mechanism == Mechanism::uprobe ||
           hook.mechanism == Mechanism::tracepoint;
}

// A dynamic probe needs its config option and a way in: the PMU, or tracefs' legacy events file.
std::optional<FailureCause> missing_dynamic_probes(std::string_view config, std::string_view pmu,
                                                   std::string_view events_file)
{
    if (kernel_config_option(config) == std::string())
        return FailureCause{
            fmt::format("kernel built without {}", config),
            fmt::format("# {} is not set in {}", config, kernel_config_source().value_or("the config"))};
    if (pmu_exists(pmu))
        return std::nullopt;
    auto tracefs = tracefs_mount();
    if (tracefs && std::filesystem::exists(*tracefs + "/" + std::string(events_file)))
        return std::nullopt;
    return FailureCause{
        fmt::format("the kernel offers no {} PMU (/sys/bus/event_source/devices/{}) and no tracefs {}", pmu, pmu,
                    events_file),
        fmt::format("/sys/bus/event_source/devices/{} is absent; {}", pmu,
                    tracefs ? fmt::format("{}/{} is absent", *tracefs, events_file) : "tracefs is not mounted")};
}

// BPF LSM programs need CONFIG_BPF_LSM, and run only when bpf is among the LSMs the kernel booted
// with (CONFIG_LSM, or lsm= on the command line).
std::optional<FailureCause> missing_bpf_lsm()
{
    if (kernel_config_option("CONFIG_BPF_LSM") == std::string())
        return FailureCause{
            "kernel built without CONFIG_BPF_LSM",
            fmt::format("# CONFIG_BPF_LSM is not set in {}", kernel_config_source().value_or("the config"))};
    auto lsms = active_lsms();
    if (lsms && std::ranges::find(*lsms, "bpf") == lsms->end())
        return FailureCause{"bpf is not an active LSM (boot with lsm=...,bpf)",
                            fmt::format("/sys/kernel/security/lsm reads {}", fmt::join(*lsms, ","))};
    return std::nullopt;
}

// uprobe_multi links came with 6.6: an older kernel does not know the link type.
std::optional<FailureCause> missing_uprobe_multi()
{
    const std::string release = kernel_release();
    if (release_before(release, 6, 6))
        return FailureCause{fmt::format("the kernel ({}) predates uprobe.multi links (6.6)", release),
                            fmt::format("uname -r: {}", release)};
    return std::nullopt;
}

}  // namespace

FailureCause explain_failure(const HookInfo &hook, const Error &error)
{
    const std::string errno_evidence = error.err ? errno_text(error.err) : std::string();
    if (error.kind == ErrorKind::permission)
        return {error.message, errno_evidence, ErrorKind::permission};
    if (error.kind == ErrorKind::tracefs)
        return {error.message, errno_evidence};
    if (hook.mechanism == Mechanism::uprobe_multi)
        if (auto missing = missing_uprobe_multi())
            return *missing;
    // A mechanism the kernel lacks altogether explains any failure of a process
    // that had the privileges to try, whatever else went wrong (a refused load among them).
    if (hook.mechanism == Mechanism::bpf_lsm)
        if (auto missing = missing_bpf_lsm())
            return *missing;
    if (hook.mechanism == Mechanism::fprobe && kernel_config_option("CONFIG_FPROBE") == std::string())
        return {"kernel built without CONFIG_FPROBE (function probes, which kprobe.multi attaches by)",
                fmt::format("# CONFIG_FPROBE is not set in {}", kernel_config_source().value_or("the config"))};
    if ((error.err == EACCES || error.err == EPERM) && attaches_by_perf_event(hook) &&
        !has_capability(CAP_SYS_ADMIN)) {
        // Debian's kernels add perf_event_paranoid level 3 (their default): perf_event_open needs
        // CAP_SYS_ADMIN, and CAP_PERFMON is not enough. Measured on Debian 6.1 under setpriv.
        if (auto paranoid = perf_event_paranoid(); paranoid && *paranoid >= 3)
            return {fmt::format("{}s are perf events, and kernel.perf_event_paranoid is {} here (Debian's level: "
                                "perf_event_open needs CAP_SYS_ADMIN, CAP_PERFMON is not enough)",
                                hook.name, *paranoid),
                    "perf_event_open was refused with " + errno_evidence, ErrorKind::permission};
        // Measured on 6.18: with CAP_BPF and CAP_PERFMON only, uprobe perf events are refused (EACCES)
        // until CAP_SYS_ADMIN is added; no DAC or ptrace capability stands in for it.
        if (hook.mechanism == Mechanism::uprobe)
            return {"attaching a uprobe needs CAP_SYS_ADMIN here; probectl runs with CAP_BPF and CAP_PERFMON "
                    "without it",
                    "the uprobe's perf event was refused with " + errno_evidence, ErrorKind::permission};
    }
    // Measured on Debian 5.10: with CAP_BPF and CAP_PERFMON only, every probectl program load is
    // refused with EPERM; root's full set (CAP_SYS_ADMIN) loads them.
    if (error.err == EPERM && error.stage == Stage::load && !has_capability(CAP_SYS_ADMIN))
        return {
            "loading was refused (EPERM) and probectl lacks CAP_SYS_ADMIN, which some kernels require beyond "
            "CAP_BPF and CAP_PERFMON (Debian's 5.10 does); run as full root to see whether this kernel allows it",
            "BPF_PROG_LOAD returned " + errno_evidence + " without CAP_SYS_ADMIN", ErrorKind::permission};
    // Lockdown "confidentiality" takes the probe-read helpers away from every BPF program: the
    // verifier then rejects each probectl object ("unknown func bpf_probe_read#4", seen on 6.1), as
    // all of them read the task they run in.
    if (error.err == EINVAL && error.stage == Stage::load)
        if (auto mode = lockdown_mode(); mode && *mode == "confidentiality")
            return {"kernel lockdown is in confidentiality mode, which forbids BPF programs to read kernel memory "
                    "(bpf_probe_read_kernel), and every probectl program reads the task it runs in",
                    "/sys/kernel/security/lockdown reads [confidentiality]; loading returned " + errno_evidence};
    if (hook.mechanism == Mechanism::kprobe)
        if (auto missing = missing_dynamic_probes("CONFIG_KPROBES", "kprobe", "kprobe_events"))
            return *missing;
    if (hook.mechanism == Mechanism::uprobe || hook.mechanism == Mechanism::uprobe_multi)
        if (auto missing = missing_dynamic_probes("CONFIG_UPROBES", "uprobe", "uprobe_events"))
            return *missing;
    if (!std::filesystem::exists("/sys/kernel/btf/vmlinux")) {
        if (hook.needs_btf)
            return {
                "the kernel has no BTF (CONFIG_DEBUG_INFO_BTF), and this hook attaches by the kernel's own BTF "
                "ids, which --btf FILE cannot replace",
                "/sys/kernel/btf/vmlinux is absent"};
        if (error.err == ESRCH && core_btf_path().empty())
            return {"the kernel has no BTF (CONFIG_DEBUG_INFO_BTF) for CO-RE to relocate against: give one with "
                    "--btf FILE (docs/labs/12-no-btf.md)",
                    "/sys/kernel/btf/vmlinux is absent; loading returned " + errno_evidence};
    }
    if (hook.mechanism == Mechanism::trampoline && error.err == EPERM)
        return {"loading a tracing program is not permitted on this kernel (EPERM)",
                "BPF_PROG_LOAD of a tracing program returned " + errno_evidence};
    if (hook.mechanism == Mechanism::bpf_lsm && error.err == EPERM)
        return {"loading a BPF LSM program is not permitted on this kernel (EPERM)",
                "BPF_PROG_LOAD of an LSM program returned " + errno_evidence};
    if ((hook.mechanism == Mechanism::trampoline || hook.mechanism == Mechanism::bpf_lsm) &&
        error.err == kENOTSUPP)
        return {"BPF trampolines are not available on this kernel (ENOTSUPP): it lacks "
                "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS or architecture support",
                "attaching a tracing program returned " + errno_evidence};
    return {error.message, errno_evidence};
}

namespace {

Support failed_trial(const HookInfo &hook, const Error &error)
{
    auto cause = explain_failure(hook, error);
    Support fails;
    fails.reason = std::move(cause.reason);
    fails.evidence = std::move(cause.evidence);
    fails.err = error.err;
    fails.kind = cause.kind;
    return fails;
}

Support try_hook(const AttachStrategy &strategy)
{
    auto trial = [&]() -> Expected<void> {
        if (auto privileged = require_bpf_privileges(); !privileged)
            return privileged;
        auto target = parse_target("execve");
        auto resolved = strategy.resolve(*target, ResolveOptions{});
        if (!resolved)
            return std::unexpected(resolved.error());
        ProbeFilter nobody;
        nobody.tgid = ProbeFilter::kNoProcess;
        auto probe = strategy.attach(*resolved, nobody);
        if (!probe)
            return std::unexpected(probe.error());
        return {};
    }();
    if (!trial)
        return failed_trial(strategy.info(), trial.error());
    Support works;
    works.supported = true;
    return works;
}

// One trial a hook type for the life of the process, run by whichever thread asks first; a
// thread asking meanwhile waits for that answer instead of trying again.
const Support &answer_once(const AttachStrategy &strategy, const std::function<Support()> &trial)
{
    static std::mutex mutex;
    static std::map<std::uint32_t, std::shared_future<Support>> cache;
    std::promise<Support> promise;
    std::shared_future<Support> answer;
    bool mine = false;
    {
        std::lock_guard lock(mutex);
        auto [it, inserted] = cache.try_emplace(strategy.info().id);
        if (inserted) {
            it->second = promise.get_future().share();
            mine = true;
        }
        answer = it->second;
    }
    if (mine) {
        try {
            promise.set_value(trial());
        } catch (...) {
            promise.set_exception(std::current_exception());  // those waiting get it too
        }
    }
    return answer.get();  // the cache's future keeps the answer for the life of the process
}

}  // namespace

const Support &hook_support(const AttachStrategy &strategy)
{
    return answer_once(strategy, [&] { return try_hook(strategy); });
}

const Support &hook_support_after(const AttachStrategy &strategy, const Error &failure)
{
    return answer_once(strategy, [&] {
        // Only a cause that is the kernel's (a missing config, a refused program type) answers for
        // the trial: another failure (the caller's filter, a limit of the moment) may be its own.
        const FailureCause cause = explain_failure(strategy.info(), failure);
        return cause.reason != failure.message ? failed_trial(strategy.info(), failure) : try_hook(strategy);
    });
}

void try_hooks(std::span<const AttachStrategy *const> hooks)
{
    const auto kernel_btf = hold_kernel_btf();  // parsed once for all the trials' objects
    for_each_at_once(hooks.size(), kTrialWorkers, [&](std::size_t i) { hook_support(*hooks[i]); });
}

void try_all_hooks()
{
    std::vector<const AttachStrategy *> hooks;
    for (const auto &strategy : Registry::instance().all())
        hooks.push_back(strategy.get());
    try_hooks(hooks);
}

std::string_view unsupported_verdict(const Support &support)
{
    return support.kind == ErrorKind::permission ? "not permitted with these privileges"
                                                 : "not supported on this kernel";
}

Expected<std::unique_ptr<BpfProbe>> attach_or_explain(const AttachStrategy &strategy, const ResolvedTarget &target,
                                                      const ProbeFilter &filter)
{
    auto probe = strategy.attach(target, filter);
    if (probe)
        return probe;
    const HookInfo &hook = strategy.info();
    const Support &support = hook_support(strategy);
    if (!support.supported && support.kind == ErrorKind::permission)
        return fail(ErrorKind::permission,
                    fmt::format("{} cannot be used with these privileges: {}", hook.name, support.reason),
                    "run probectl as root with all its capabilities", support.err);
    if (!support.supported)
        return fail(ErrorKind::unsupported,
                    fmt::format("{} is not supported on this kernel: {}", hook.name, support.reason),
                    "probectl list shows the hook types that work here", support.err);
    Error error = probe.error();
    error.message = fmt::format("{} works here, but not at {}: {}", hook.name, target.describe(), error.message);
    return std::unexpected(error);
}

}  // namespace probectl
