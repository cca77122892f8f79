// Lab 1: which hook types this kernel supports, and why not. probectl finds out by trying; the lab
// sets each verdict against evidence a learner can read for themselves: the kernel config, tracefs,
// /sys/kernel/btf/vmlinux.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "loader/kernel_facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

namespace probectl::lab {
namespace {

std::map<std::string, const Support *> verdicts()
{
    std::map<std::string, const Support *> out;
    for (const auto &strategy : Registry::instance().all())
        out[std::string(strategy->info().name)] = &hook_support(*strategy);
    return out;
}

std::string verdict_text(const Support &s)
{
    return s.supported ? "works" : fmt::format("does not work: {}", s.reason);
}

Expected<std::string> run()
{
    std::string out = "Each hook type, tried for real at its exec attach point (filtered to no process):\n\n";
    for (const auto &strategy : Registry::instance().all()) {
        const Support &s = hook_support(*strategy);
        out += fmt::format("  {:<13} {}\n", strategy->info().name, verdict_text(s));
        if (!s.supported && !s.evidence.empty())
            out += fmt::format("  {:<13}   evidence: {}\n", "", s.evidence);
    }
    std::vector<std::string> options;
    for (const char *name : {"CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS", "CONFIG_BPF_EVENTS"}) {
        const auto option = kernel_config_option(name);
        options.push_back(fmt::format("{} {}", name,
                                      !option           ? "unreadable"
                                      : option->empty() ? "not set"
                                                        : "=" + *option));
    }
    out += fmt::format("\nLook at: in this kernel's config {} (kprobes need all three);\n"
                       "/sys/kernel/btf/vmlinux {}.\n",
                       fmt::join(options, ", "),
                       std::filesystem::exists("/sys/kernel/btf/vmlinux") ? "exists" : "does not exist");
    out += "Then: probectl doctor shows every fact behind these verdicts.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    const auto v = verdicts();
    std::vector<Observation> seen;

    bool reasons = true;
    std::string missing;
    for (const auto &[name, s] : v)
        if (!s->supported && s->reason.empty()) {
            reasons = false;
            missing += name + " ";
        }
    seen.push_back(observe("every hook type gets a verdict, and every 'no' comes with a reason", reasons,
                           reasons ? fmt::format("{} hook types judged", v.size()) : "no reason for: " + missing));

    const bool kprobe = v.at("kprobe")->supported;
    seen.push_back(observe("kprobe, kretprobe and ksyscall stand or fall together (one mechanism: kprobes)",
                           v.at("kretprobe")->supported == kprobe && v.at("ksyscall")->supported == kprobe,
                           fmt::format("kprobe {}, kretprobe {}, ksyscall {}", verdict_text(*v.at("kprobe")),
                                       verdict_text(*v.at("kretprobe")), verdict_text(*v.at("ksyscall")))));
    seen.push_back(
        observe("fentry and fexit stand or fall together (one mechanism: BPF trampolines)",
                v.at("fentry")->supported == v.at("fexit")->supported,
                fmt::format("fentry {}, fexit {}", verdict_text(*v.at("fentry")), verdict_text(*v.at("fexit")))));

    // The config is needed, not enough: lockdown or a missing capability can refuse kprobes still.
    const std::string config_claim = "kprobes work only when the kernel config has CONFIG_KPROBES, "
                                     "CONFIG_KPROBE_EVENTS and CONFIG_BPF_EVENTS set (=y)";
    std::string options_seen;
    bool all_set = true, readable = true;
    for (const char *name : {"CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS", "CONFIG_BPF_EVENTS"}) {
        const auto option = kernel_config_option(name);
        readable = readable && option.has_value();
        all_set = all_set && option == "y";
        options_seen += fmt::format("{}{}; ", name,
                                    !option           ? " unread"
                                    : option->empty() ? " not set"
                                                      : "=" + *option);
    }
    if (readable)
        seen.push_back(observe(config_claim, !kprobe || all_set,
                               fmt::format("{}kprobe {}", options_seen, verdict_text(*v.at("kprobe")))));
    else
        seen.push_back(cannot_check(config_claim, "the kernel config is readable neither in /proc/config.gz nor "
                                                  "in /boot/config-<release>"));

    const bool has_btf = std::filesystem::exists("/sys/kernel/btf/vmlinux");
    const bool tp_btf = v.at("tp_btf")->supported;
    seen.push_back(observe("tp_btf needs the kernel's BTF: without /sys/kernel/btf/vmlinux it cannot work",
                           has_btf || !tp_btf,
                           fmt::format("/sys/kernel/btf/vmlinux {}; tp_btf {}", has_btf ? "exists" : "is absent",
                                       verdict_text(*v.at("tp_btf")))));

    const std::string lsm_claim = "lsm works only when bpf is among the active LSMs (/sys/kernel/security/lsm)";
    if (const auto lsms = active_lsms()) {
        const bool bpf_active = std::ranges::find(*lsms, "bpf") != lsms->end();
        seen.push_back(
            observe(lsm_claim, bpf_active || !v.at("lsm")->supported,
                    fmt::format("active LSMs: {}; lsm {}", fmt::join(*lsms, ","), verdict_text(*v.at("lsm")))));
    } else {
        seen.push_back(cannot_check(lsm_claim, lsms.error().message));
    }

    const std::string fprobe_claim = "kprobe.multi works only when the kernel config has CONFIG_FPROBE=y";
    if (const auto option = kernel_config_option("CONFIG_FPROBE"))
        seen.push_back(
            observe(fprobe_claim, *option == "y" || !v.at("kprobe.multi")->supported,
                    fmt::format("CONFIG_FPROBE {}; kprobe.multi {}", option->empty() ? "not set" : "=" + *option,
                                verdict_text(*v.at("kprobe.multi")))));
    else
        seen.push_back(cannot_check(fprobe_claim, "the kernel config is readable neither in /proc/config.gz nor "
                                                  "in /boot/config-<release>"));

    int major = 0, minor = 0;
    const std::string release = kernel_release();
    const bool parsed = std::sscanf(release.c_str(), "%d.%d", &major, &minor) == 2;
    const bool at_least_6_6 = parsed && (major > 6 || (major == 6 && minor >= 6));
    seen.push_back(
        observe("uprobe.multi works only on kernels 6.6 and later (uprobe_multi links)",
                at_least_6_6 || !v.at("uprobe.multi")->supported,
                fmt::format("kernel {}; uprobe.multi {}", release, verdict_text(*v.at("uprobe.multi")))));

    const std::string tracepoint_claim =
        "the tracepoint hook works exactly when tracefs lists syscalls:sys_enter_execve";
    if (const auto listed = live_kernel_symbols().has_tracepoint("syscalls", "sys_enter_execve"))
        seen.push_back(observe(tracepoint_claim, *listed == v.at("tracepoint")->supported,
                               fmt::format("available_events {} it; tracepoint {}", *listed ? "lists" : "lacks",
                                           verdict_text(*v.at("tracepoint")))));
    else
        seen.push_back(cannot_check(tracepoint_claim, "tracefs is not mounted and could not be mounted"));
    return seen;
}

}  // namespace

Lab lab_01_support()
{
    return {1, "hook-support", "Which hook types work on this kernel, and why not", run, check, {}};
}

}  // namespace probectl::lab
