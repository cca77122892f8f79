// probectl doctor: the facts behind `probectl list`, each with where it was read.
#include <fmt/format.h>
#include <linux/capability.h>

#include <cstdio>
#include <filesystem>

#include "attach/registry.h"
#include "attach/support.h"
#include "bench/environment.h"
#include "cli/commands.h"
#include "cli/doctor.h"
#include "loader/kernel_facts.h"

namespace probectl {
namespace {

std::string config_text(const std::optional<std::string> &value)
{
    if (!value)
        return "unknown (config unreadable)";
    return value->empty() ? "not set" : *value;
}

}  // namespace

DoctorReport collect_doctor_report()
{
    DoctorReport report;
    report.release = kernel_release();
    report.emulated = bench::read_environment().emulated;
    report.btf = std::filesystem::exists("/sys/kernel/btf/vmlinux");
    report.config_source = kernel_config_source();
    for (const std::string_view option : hook_config_options())
        report.config.push_back({std::string(option), kernel_config_option(option)});
    auto lockdown = lockdown_mode();
    report.lockdown = lockdown ? *lockdown : "unknown: " + lockdown.error().message;
    for (const char *fstype : {"tracefs", "debugfs", "bpf"})
        report.mounts.push_back({fstype, mount_point_of(fstype)});
    report.capabilities = {{"CAP_BPF", has_capability(CAP_BPF)},
                           {"CAP_PERFMON", has_capability(CAP_PERFMON)},
                           {"CAP_SYS_ADMIN", has_capability(CAP_SYS_ADMIN)}};
    report.perf_event_paranoid = perf_event_paranoid();
    report.ringbuf = ringbuf_supported();
    try_all_hooks();
    for (const auto &strategy : Registry::instance().all()) {
        const Support &support = hook_support(*strategy);
        report.hooks.push_back(
            {std::string(strategy->info().name), support.supported, support.reason, support.evidence});
    }
    return report;
}

namespace {

// What a lockdown mode means for BPF tracing (security/lockdown: the reasons each mode refuses).
std::string_view lockdown_meaning(std::string_view mode)
{
    if (mode == "confidentiality")
        return " (BPF programs may not read kernel memory: no probectl hook can load)";
    if (mode == "integrity")
        return " (tracing works; only writing user memory from BPF is refused)";
    return "";
}

}  // namespace

std::string doctor_text(const DoctorReport &report)
{
    std::string out;
    out += fmt::format("kernel      {}\n", report.release);
    out += fmt::format("BTF         {}\n",
                       report.btf ? "yes (/sys/kernel/btf/vmlinux)" : "no (/sys/kernel/btf/vmlinux absent)");
    out += fmt::format("config      {}\n",
                       report.config_source.value_or("unreadable (no /proc/config.gz or /boot/config-*)"));
    for (const auto &option : report.config)
        out += fmt::format("  {:<42} {}\n", option.name, config_text(option.value));
    out += fmt::format("lockdown    {}{}\n", report.lockdown, lockdown_meaning(report.lockdown));
    for (const auto &mount : report.mounts)
        out += fmt::format("{:<11} {}\n", mount.fstype == "bpf" ? "bpffs" : mount.fstype,
                           mount.path ? "mounted at " + *mount.path : "not mounted");
    std::string caps;
    for (const auto &cap : report.capabilities)
        caps += fmt::format("{}{} {}", caps.empty() ? "" : ", ", cap.name, cap.effective ? "yes" : "no");
    out += fmt::format("caps        {}\n", caps);
    if (report.perf_event_paranoid)
        out += fmt::format("perf        perf_event_paranoid {}{}\n", *report.perf_event_paranoid,
                           *report.perf_event_paranoid >= 3
                               ? " (Debian's level: kprobes, uprobes and tracepoints need CAP_SYS_ADMIN)"
                               : "");
    out += fmt::format("ringbuf     {}\n", report.ringbuf ? "yes" : "no (BPF ring buffers need 5.8)");
    out += "hooks       (each loaded and attached for real)\n";
    for (const auto &hook : report.hooks) {
        if (hook.works)
            out += fmt::format("  {:<13} works\n", hook.name);
        else
            out += fmt::format("  {:<13} does not work: {}{}\n", hook.name, hook.reason,
                               hook.evidence.empty() ? "" : fmt::format(" [{}]", hook.evidence));
    }
    return out;
}

nlohmann::json doctor_json(const DoctorReport &report)
{
    nlohmann::json out;
    out["probectl_doctor"] = 1;  // what `probectl report` recognises a doctor report by
    out["kernel"] = report.release;
    out["emulated"] = report.emulated;
    out["btf"] = report.btf;
    out["config_source"] = report.config_source ? nlohmann::json(*report.config_source) : nlohmann::json();
    for (const auto &option : report.config)
        out["config"][option.name] = option.value ? nlohmann::json(*option.value) : nlohmann::json();
    out["lockdown"] = report.lockdown;
    for (const auto &mount : report.mounts)
        out["mounts"][mount.fstype] = mount.path ? nlohmann::json(*mount.path) : nlohmann::json();
    for (const auto &cap : report.capabilities)
        out["capabilities"][cap.name] = cap.effective;
    out["perf_event_paranoid"] =
        report.perf_event_paranoid ? nlohmann::json(*report.perf_event_paranoid) : nlohmann::json();
    out["ringbuf"] = report.ringbuf;
    out["hooks"] = nlohmann::json::array();
    for (const auto &hook : report.hooks)
        out["hooks"].push_back(
            {{"hook", hook.name},
             {"works", hook.works},
             {"reason", hook.works ? nlohmann::json() : nlohmann::json(hook.reason)},
             {"evidence", hook.evidence.empty() ? nlohmann::json() : nlohmann::json(hook.evidence)}});
    return out;
}

int run_doctor(const DoctorOptions &options)
{
    const DoctorReport report = collect_doctor_report();
    const std::string text = options.json ? doctor_json(report).dump(2, ' ', true) + "\n" : doctor_text(report);
    std::fputs(text.c_str(), stdout);
    return 0;
}

}  // namespace probectl
