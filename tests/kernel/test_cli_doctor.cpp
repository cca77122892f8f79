// probectl doctor on the running kernel: each fact checked against what the kernel shows by other
// means, each hook's verdict against the independent expectation of tests/kernel/expected_hooks.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "attach/registry.h"
#include "loader/kernel_facts.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl::test;
namespace fs = std::filesystem;

TEST_CASE("doctor --json tells the truth about this kernel", "[cli]")
{
    auto result = run({probectl_binary(), "doctor", "--json"});
    INFO("stderr: " << result.err);
    REQUIRE(result.exit_code == 0);
    auto doctor = nlohmann::json::parse(result.out);

    struct utsname uts {};
    REQUIRE(uname(&uts) == 0);
    CHECK(doctor["kernel"] == uts.release);
    CHECK(doctor["btf"] == fs::exists("/sys/kernel/btf/vmlinux"));
    CHECK(doctor["ringbuf"] == true);  // every kernel probectl runs on is 5.8 or newer
    const bool config_readable =
        fs::exists("/proc/config.gz") || fs::exists(std::string("/boot/config-") + uts.release);
    REQUIRE(doctor["config_source"].is_string() == config_readable);
    if (!config_readable) {
        for (const auto &[option, value] : doctor["config"].items())
            CHECK(value.is_null());
        WARN("no kernel config here: the config checks are not made");
    }

    // The config and the kernel's own devices agree: kprobes and uprobes come with their PMUs.
    if (config_readable) {
        CHECK((doctor["config"]["CONFIG_KPROBES"] == "y") == fs::exists("/sys/bus/event_source/devices/kprobe"));
        CHECK((doctor["config"]["CONFIG_UPROBES"] == "y") == fs::exists("/sys/bus/event_source/devices/uprobe"));
        CHECK(doctor["config"]["CONFIG_DEBUG_INFO_BTF"] == "y");
    }

    const std::string lockdown = doctor["lockdown"];
    CHECK((lockdown == "none" || lockdown == "integrity" || lockdown == "confidentiality"));
    CHECK(doctor["mounts"]["tracefs"].is_string());  // probectl mounts it when it is missing
    for (const auto &[fstype, path] : doctor["mounts"].items())
        if (path.is_string())
            CHECK(fs::is_directory(path.get<std::string>()));
    if (geteuid() == 0) {
        CHECK(doctor["capabilities"]["CAP_BPF"] == true);
        CHECK(doctor["capabilities"]["CAP_SYS_ADMIN"] == true);
    }

    REQUIRE(doctor["hooks"].size() == probectl::Registry::instance().all().size());  // every registered hook
    for (const auto &hook : doctor["hooks"]) {
        const std::string name = hook["hook"];
        INFO("hook " << name << ": " << hook.dump());
        if (auto reason = expected_unsupported_reason(name)) {
            CHECK(hook["works"] == false);
            CHECK(hook["reason"] == *reason);
            CHECK(hook["evidence"].is_string());
        } else {
            CHECK(hook["works"] == true);
            CHECK(hook["reason"].is_null());
        }
    }
}

TEST_CASE("doctor's text names every hook and the evidence for what does not work", "[cli]")
{
    auto result = run({probectl_binary(), "doctor"});
    REQUIRE(result.exit_code == 0);
    for (const auto &strategy : probectl::Registry::instance().all()) {
        const std::string hook(strategy->info().name);
        INFO(hook);
        auto reason = expected_unsupported_reason(hook);
        const std::string line = fmt::format("  {:<13} {}", hook, reason ? "does not work: " + *reason : "works");
        CHECK(result.out.find(line) != std::string::npos);
    }
    if (expected_unsupported_reason("kprobe"))
        CHECK(result.out.find("[# CONFIG_KPROBES is not set in ") != std::string::npos);
}

TEST_CASE("doctor leaves securityfs as it found it: read, then unmounted when it was not mounted", "[cli]")
{
    // Where securityfs is mounted (this host), the test unmounts it first and mounts it back after.
    const bool was_mounted = probectl::mount_point_of("securityfs").has_value();
    if (was_mounted)
        REQUIRE(umount("/sys/kernel/security") == 0);
    auto result = run({probectl_binary(), "doctor", "--json"});
    const bool left_mounted = probectl::mount_point_of("securityfs").has_value();
    if (was_mounted && !left_mounted)
        REQUIRE(mount("securityfs", "/sys/kernel/security", "securityfs", 0, nullptr) == 0);
    INFO("stderr: " << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_FALSE(left_mounted);
    auto doctor = nlohmann::json::parse(result.out);
    CHECK(doctor["lockdown"].is_string());  // read all the same
    CHECK(result.err.find("securityfs stays mounted") == std::string::npos);
}

TEST_CASE("list: a row per hook type, HERE as tried, every line within 80 columns", "[cli]")
{
    auto result = run({probectl_binary(), "list"});
    REQUIRE(result.exit_code == 0);
    INFO(result.out);
    std::istringstream lines(result.out);
    std::string header;
    std::getline(lines, header);
    CHECK(header == "HOOK          HERE SINCE RUNS        ARGS RET PROGRAM TYPE   ALIASES");
    for (std::string line; std::getline(lines, line);)
        CHECK(line.size() <= 80);
    for (const auto &strategy : probectl::Registry::instance().all()) {
        const std::string hook(strategy->info().name);
        const std::string here = expected_unsupported_reason(hook) ? "no " : "yes";
        CHECK(result.out.find(fmt::format("\n{:<13} {} ", hook, here)) != std::string::npos);
    }
}
