// Privileges: without root probectl names what it needs and exits 8, loading nothing; with only
// CAP_BPF + CAP_PERFMON (root's other capabilities dropped by setpriv) it works where the kernel
// allows, and where it does not it names the capability it lacks, not a kernel limitation.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/mount.h>
#include <sys/utsname.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "loader/kernel_facts.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using namespace std::chrono_literals;

namespace {

// Root's capabilities dropped to CAP_BPF and CAP_PERFMON, with RLIMIT_MEMLOCK pinned to 64 KiB (the
// kernel's default before 5.16, and what a Debian 11 session has). Pinned because kernels before 5.11
// charge BPF maps and programs to that limit, which libbpf raises only with CAP_SYS_RESOURCE: the
// outcome on 5.10 depends on it, and unpinned it would be whatever this test process left (libbpf
// raises the limit of any root process that loads a program, and the children inherit it).
const std::vector<std::string> kOnlyBpfAndPerfmon{"/usr/bin/prlimit", "--memlock=65536:65536", "/usr/bin/setpriv",
                                                  "--bounding-set=-all,+bpf,+perfmon", "--inh-caps=-all"};

std::vector<std::string> with(std::vector<std::string> prefix, const std::vector<std::string> &command)
{
    prefix.insert(prefix.end(), command.begin(), command.end());
    return prefix;
}

// run is attached with --count 1: it must capture one exec of /bin/true, exit 0 and leave nothing.
void captures_one_true(Background &run)
{
    test::run({"/bin/true"});
    auto finished = run.wait(20s);
    if (!finished) {  // no event: stop it, and show what it said
        run.signal(SIGINT);
        finished = run.wait(20s);
        REQUIRE(finished);
        FAIL("attached, but no exec of /bin/true was captured; stderr: " << finished->err);
    }
    CHECK(finished->exit_code == 0);
    CHECK(finished->out.find("\"filename\":\"/bin/true\"") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

// What a hook does when probectl has only CAP_BPF and CAP_PERFMON.
enum class Limited {
    works,
    load_refused,        // BPF_PROG_LOAD refused with EPERM: CAP_SYS_ADMIN named
    perf_event_refused,  // perf_event_open refused at perf_event_paranoid >= 3: the level named
    uprobe_refused,      // the uprobe's perf event refused (EACCES) below level 3: CAP_SYS_ADMIN named
    kernel_lacks,        // the kernel lacks the hook (expected_hooks.h), whatever the privileges
};

const char *name_of(Limited outcome)
{
    switch (outcome) {
    case Limited::works: return "works";
    case Limited::load_refused: return "load refused (EPERM), CAP_SYS_ADMIN named";
    case Limited::perf_event_refused: return "perf event refused, perf_event_paranoid named";
    case Limited::uprobe_refused: return "uprobe refused, CAP_SYS_ADMIN named";
    case Limited::kernel_lacks: return "the kernel lacks it";
    }
    return "?";
}

bool attaches_by_perf_event(std::string_view hook)
{
    return expected_hook(hook).attachment == Attachment::perf_event;
}

// uname's release ("6.1.0-57-amd64"), read once.
const std::string &uname_release()
{
    static const std::string release = [] {
        utsname names{};
        if (uname(&names) != 0)
            throw std::runtime_error("uname failed");
        return std::string(names.release);
    }();
    return release;
}

// /proc/sys/kernel/perf_event_paranoid, read once.
int paranoid_level()
{
    static const int level = [] {
        std::ifstream file("/proc/sys/kernel/perf_event_paranoid");
        int value = 0;
        if (!(file >> value))
            throw std::runtime_error("cannot read /proc/sys/kernel/perf_event_paranoid");
        return value;
    }();
    return level;
}

// The rule of each kernel probectl is tested on, with CAP_BPF + CAP_PERFMON only: one row per kernel,
// each measured under setpriv (docs/reliability.md, Privileges; docs/kernel-matrix.md for the VMs). A
// kernel without a row fails: measure it and add its row, do not guess.
Limited with_bpf_and_perfmon(std::string_view hook)
{
    const std::string release = uname_release();
    int major = 0, minor = 0;
    if (std::sscanf(release.c_str(), "%d.%d", &major, &minor) != 2)
        FAIL("uname's release " << release << " does not start with MAJOR.MINOR");
    const int paranoid = paranoid_level();
    // Debian's perf_event_paranoid 3 (their default): perf_event_open needs CAP_SYS_ADMIN. Below 3
    // CAP_PERFMON is enough for it (upstream's rule).
    const Limited perf_event = paranoid >= 3 ? Limited::perf_event_refused : Limited::works;
    if (major == 5 && minor == 10 && paranoid < 3)
        FAIL("5.10 was measured at perf_event_paranoid 3 only (Debian's); here it is "
             << paranoid << ": measure it, add the row");
    // A hook the kernel lacks is reported as lacking, whatever the privileges (lsm on 5.10: bpf is not an
    // active LSM; kprobe.multi on 5.10 and 6.1: no CONFIG_FPROBE).
    if (!(major == 6 && minor == 18) && expected_unsupported_reason(hook))
        return Limited::kernel_lacks;
    if (major == 5 && minor == 10)
        // Debian 5.10.0-46 (bullseye) under qemu, perf_event_paranoid 3: with the 64 KiB memlock limit
        // every load is refused with EPERM (raw_tp, tp_btf, fentry, fexit; probectl names CAP_SYS_ADMIN),
        // and the perf-event hooks are reported as refused by the paranoid level. With the limit raised
        // by root beforehand (or with CAP_SYS_RESOURCE) the loads work: see bpf_charged_to_memlock().
        return attaches_by_perf_event(hook) ? perf_event : Limited::load_refused;
    if ((major == 6 && (minor == 1 || minor == 12)) || major == 7)
        // Debian 6.1.0-57 (bookworm), 6.12.95 (bookworm-backports) and 7.2 (sid) under qemu,
        // perf_event_paranoid 3 on all three: loads work, and raw_tp, tp_btf, fentry and fexit attach by
        // BPF links of their own; perf-event hooks as perf_event_paranoid says.
        return attaches_by_perf_event(hook) ? perf_event : Limited::works;
    if (major == 6 && minor == 18) {
        // The development host, 6.18 sandboxed, perf_event_paranoid 2: no kprobes; tracing programs
        // refused with EPERM even to full root, which without CAP_SYS_ADMIN reads as the load refused;
        // uprobe perf events refused (EACCES) until CAP_SYS_ADMIN is added.
        if (expected_hook(hook).attachment == Attachment::trampoline)  // fentry, fexit, lsm
            return Limited::load_refused;
        if (expected_unsupported_reason(hook))  // kprobe, kretprobe, ksyscall: no CONFIG_KPROBES
            return Limited::kernel_lacks;
        if (hook == "uprobe" || hook == "uretprobe")
            return paranoid >= 3 ? perf_event : Limited::uprobe_refused;
        return attaches_by_perf_event(hook) ? perf_event : Limited::works;
    }
    FAIL("no privilege rule for kernel " << release << " (perf_event_paranoid " << paranoid
                                         << "): measure it under setpriv and add its row to "
                                            "with_bpf_and_perfmon() in tests/kernel/test_privileges.cpp");
    return Limited::works;
}

// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK, not to the memory cgroup (upstream's
// change in 5.11). Of the kernels above: 5.10.
bool bpf_charged_to_memlock()
{
    int major = 0, minor = 0;
    return std::sscanf(uname_release().c_str(), "%d.%d", &major, &minor) == 2 &&
           (major < 5 || (major == 5 && minor < 11));
}

// The words probectl must give for a refusal (a `list` reason; `attach` prefixes "HOOK cannot be used
// with these privileges: ").
std::string refusal_words(const std::string &hook, Limited outcome)
{
    switch (outcome) {
    case Limited::load_refused: return "loading was refused (EPERM) and probectl lacks CAP_SYS_ADMIN";
    case Limited::perf_event_refused:
        return fmt::format("{}s are perf events, and kernel.perf_event_paranoid is {} here (Debian's level: "
                           "perf_event_open needs CAP_SYS_ADMIN, CAP_PERFMON is not enough)",
                           hook, paranoid_level());
    case Limited::uprobe_refused:
        return "attaching a uprobe needs CAP_SYS_ADMIN here; probectl runs with CAP_BPF and CAP_PERFMON without "
               "it";
    default: return "";
    }
}

// attach --type HOOK execve --count 1 with CAP_BPF + CAP_PERFMON only: exactly the outcome this kernel's
// row gives. comm: the name the exec of /bin/true has when the hook fires.
void attach_with_bpf_and_perfmon(const std::string &hook, const std::string &comm)
{
    const Limited expected = with_bpf_and_perfmon(hook);
    INFO("kernel " << uname_release() << ", perf_event_paranoid " << paranoid_level() << ": " << hook
                   << " is expected: " << name_of(expected));
    if (expected == Limited::kernel_lacks) {
        std::cout << "SKIPPED: " << *expected_unsupported_reason(hook) << "\n";
        return;
    }
    if (expected == Limited::works) {
        Background run(with(kOnlyBpfAndPerfmon, {probectl_binary(), "attach", "--type", hook, "execve", "--count",
                                                 "1", "--json", "--comm", comm}));
        REQUIRE(run.wait_for_stderr("attached " + hook, 30s));
        captures_one_true(run);
        return;
    }
    // --duration: should it attach after all, it ends, and the exit code below says so
    auto refused = test::run(
        with(kOnlyBpfAndPerfmon, {probectl_binary(), "attach", "--type", hook, "execve", "--duration", "1"}));
    INFO(refused.err);
    CHECK(refused.exit_code == 8);
    CHECK(refused.out.empty());
    CHECK(refused.err.find(hook + " cannot be used with these privileges: " + refusal_words(hook, expected)) !=
          std::string::npos);
    CHECK(refused.err.find("CAP_SYS_ADMIN") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

}  // namespace

TEST_CASE("privileges: an unprivileged user gets exit 8 and what is needed, and nothing loads", "[privileges]")
{
    auto finished = test::run(with({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"},
                                   {probectl_binary(), "attach", "--type", "tracepoint", "execve"}));
    CHECK(finished.exit_code == 8);
    CHECK(finished.err.find("loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)") !=
          std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE(
    "privileges: with only CAP_BPF and CAP_PERFMON raw_tp works (5.10: only once its memlock limit is raised)",
    "[privileges]")
{
    // raw_tp attaches by a BPF link of its own, no perf event; it fires after exec: the new name.
    attach_with_bpf_and_perfmon("raw_tp", "true");
    if (!bpf_charged_to_memlock())
        return;
    // 5.10: what refused the load above is the 64 KiB memlock limit, not a missing capability. With the
    // limit raised by root before the capabilities are dropped, CAP_BPF + CAP_PERFMON load raw_tp.
    auto unlimited = kOnlyBpfAndPerfmon;
    unlimited[1] = "--memlock=unlimited:unlimited";
    Background run(with(unlimited, {probectl_binary(), "attach", "--type", "raw_tp", "execve", "--count", "1",
                                    "--json", "--comm", "true"}));
    REQUIRE(run.wait_for_stderr("attached raw_tp", 30s));
    captures_one_true(run);
}

TEST_CASE("privileges: with only CAP_BPF and CAP_PERFMON a tracepoint works, or Debian's paranoid level is named",
          "[privileges]")
{
    attach_with_bpf_and_perfmon("tracepoint", own_comm());  // the caller, before exec
}

TEST_CASE("privileges: a uprobe refused for want of CAP_SYS_ADMIN says so, with exit 8", "[privileges]")
{
    attach_with_bpf_and_perfmon("uprobe", own_comm());  // libc's execve, in the caller
}

TEST_CASE("privileges: list tells what the privileges refuse from what the kernel lacks", "[privileges]")
{
    auto nobody = test::run(with({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"},
                                 {probectl_binary(), "list", "--json"}));
    REQUIRE(nobody.exit_code == 0);
    const auto rows = nlohmann::json::parse(nobody.out);  // one document: an array
    for (const auto &row : rows) {
        INFO(row.dump());
        CHECK(row["supported"] == false);
        CHECK(row["refused_by"] == "privileges");
    }
    CHECK(rows.size() == Registry::instance().all().size());  // one row per registered hook

    // Whether BPF LSM is active is read in securityfs, which a process without CAP_SYS_ADMIN cannot
    // mount: mounted here, as systemd mounts it at boot (the VMs' init does not), and unmounted after.
    const bool mounted_here = !mount_point_of("securityfs") &&
                              mount("securityfs", "/sys/kernel/security", "securityfs", 0, nullptr) == 0;
    auto limited = test::run(with(kOnlyBpfAndPerfmon, {probectl_binary(), "list", "--json"}));
    if (mounted_here)
        umount("/sys/kernel/security");
    REQUIRE(limited.exit_code == 0);
    std::map<std::string, nlohmann::json> by_hook;
    for (const auto &row : nlohmann::json::parse(limited.out))
        by_hook[row["hook"]] = row;
    REQUIRE(by_hook.size() == Registry::instance().all().size());
    for (const auto &[hook, row] : by_hook) {
        const Limited expected = with_bpf_and_perfmon(hook);
        INFO("kernel " << uname_release() << ": " << hook << " is expected: " << name_of(expected) << "\n"
                       << row.dump());
        if (expected == Limited::works) {
            CHECK(row["supported"] == true);
            continue;
        }
        CHECK(row["supported"] == false);
        REQUIRE(row["reason"].is_string());
        if (expected == Limited::kernel_lacks) {
            CHECK(row["refused_by"] == "kernel");
            CHECK(row["reason"] == *expected_unsupported_reason(hook));
        } else {
            // never blamed on the kernel: the capability it lacks is named
            CHECK(row["refused_by"] == "privileges");
            CHECK_THAT(row["reason"].get<std::string>(), Catch::StartsWith(refusal_words(hook, expected)));
            CHECK_THAT(row["reason"].get<std::string>(), Catch::Contains("CAP_SYS_ADMIN"));
        }
    }
}
