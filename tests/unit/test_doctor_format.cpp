#include <catch2/catch.hpp>

#include "cli/doctor.h"

using namespace probectl;

namespace {

DoctorReport sample()
{
    DoctorReport report;
    report.release = "6.18.44";
    report.btf = true;
    report.config_source = "/proc/config.gz";
    report.config = {{"CONFIG_KPROBES", ""}, {"CONFIG_UPROBES", "y"}, {"CONFIG_FPROBE", std::nullopt}};
    report.lockdown = "integrity";
    report.mounts = {{"tracefs", "/sys/kernel/tracing"}, {"bpf", std::nullopt}};
    report.capabilities = {{"CAP_BPF", true}, {"CAP_PERFMON", false}};
    report.ringbuf = true;
    report.hooks = {
        {"kprobe", false, "kernel built without CONFIG_KPROBES", "# CONFIG_KPROBES is not set in /proc/config.gz"},
        {"tracepoint", true, "", ""}};
    return report;
}

}  // namespace

TEST_CASE("doctor text: one line per fact, evidence in brackets", "[doctor]")
{
    const std::string text = doctor_text(sample());
    CHECK(text.find("kernel      6.18.44\n") != std::string::npos);
    CHECK(text.find("  CONFIG_KPROBES                             not set\n") != std::string::npos);
    CHECK(text.find("  CONFIG_FPROBE                              unknown (config unreadable)\n") !=
          std::string::npos);
    CHECK(text.find("lockdown    integrity (tracing works; only writing user memory from BPF is refused)\n") !=
          std::string::npos);
    CHECK(text.find("bpffs       not mounted\n") != std::string::npos);
    CHECK(text.find("caps        CAP_BPF yes, CAP_PERFMON no\n") != std::string::npos);
    CHECK(text.find(
              "  kprobe        does not work: kernel built without CONFIG_KPROBES [# CONFIG_KPROBES is not set in "
              "/proc/config.gz]\n") != std::string::npos);
    CHECK(text.find("  tracepoint    works\n") != std::string::npos);
}

TEST_CASE("doctor JSON: nulls for what is unknown or absent", "[doctor]")
{
    auto json = doctor_json(sample());
    CHECK(json["config"]["CONFIG_KPROBES"] == "");
    CHECK(json["config"]["CONFIG_FPROBE"].is_null());
    CHECK(json["mounts"]["bpf"].is_null());
    CHECK(json["mounts"]["tracefs"] == "/sys/kernel/tracing");
    CHECK(json["hooks"][0]["works"] == false);
    CHECK(json["hooks"][0]["evidence"] == "# CONFIG_KPROBES is not set in /proc/config.gz");
    CHECK(json["hooks"][1]["reason"].is_null());
}
