// Each hook type on the running kernel: a successful and a failing exec, each from a child whose
// pid the probe is filtered to, and what the hook must have seen of each. A hook may be skipped
// only when the kernel lacks it, for the reason found here independently of probectl.
#include <catch2/catch.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <iostream>
#include <optional>

#include "attach/registry.h"
#include "attach/support.h"
#include "loader/bpf_inventory.h"
#include "loader/event_stream.h"
#include "loader/kernel_facts.h"
#include "tests/kernel/capture.h"
#include "tests/kernel/exec_workload.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/kernel/test_values.h"
#include "tests/support/process.h"

using namespace probectl;

using probectl::test::exec_path_function_sees_failed_open;
using probectl::test::expected_hook;
using probectl::test::expected_unsupported_reason;
using probectl::test::ExpectedHook;
using probectl::test::PendingExec;
using probectl::test::Place;
using probectl::test::unload_grace;

namespace {

constexpr const char *kChildComm = "pctl-kt-child";
const std::string kGoodPath = "/bin/true";
const std::vector<std::string> kGoodArgv{"true", "probectl-kernel-test", "two words"};
const std::string kBadPath = "/nonexistent/probectl-kernel-test";
const std::vector<std::string> kBadArgv{"probectl-fail", "x"};

// What a hook must report of a successful and of a failing exec, from its row of expected
// behaviour (tests/kernel/expected_hooks.cpp): where it stands on the exec path, what it reads.
struct Expectation {
    bool sees_success;
    bool sees_failure;
    bool filename;
    bool argv;
    std::optional<std::int64_t> ret_success;
    std::optional<std::int64_t> ret_failure;
    bool after_exec;  // runs in the new image: new comm, and old_pid is known
};

Expectation expectation_for(std::string_view hook)
{
    const ExpectedHook &row = expected_hook(hook);
    Expectation expect{true, false, row.filename, row.argv, {}, {}, false};
    switch (row.place) {
    case Place::syscall_entry: expect.sees_failure = true; break;
    case Place::user_return:  // libc's execve returns only when the exec failed: -1, errno set
        expect.sees_success = false;
        expect.sees_failure = true;
        expect.ret_failure = -1;
        break;
    case Place::post_exec: expect.after_exec = true; break;
    case Place::kernel_entry: expect.sees_failure = exec_path_function_sees_failed_open(); break;
    case Place::kernel_return:
        expect.sees_failure = exec_path_function_sees_failed_open();
        expect.ret_success = 0;
        expect.ret_failure = -ENOENT;
        break;
    case Place::binary_check: break;  // a missing file is never opened, so never checked
    case Place::exec_path: expect.sees_failure = exec_path_function_sees_failed_open(); break;
    }
    return expect;
}

std::vector<ExecEvent> capture(const AttachStrategy &strategy, PendingExec &exec, int &exit_code,
                               ResolvedTarget *resolved_out = nullptr)
{
    auto target = parse_target("execve");
    REQUIRE(target);
    auto resolved = strategy.resolve(*target, ResolveOptions{});
    REQUIRE(resolved);
    if (resolved_out)
        *resolved_out = *resolved;
    return probectl::test::capture_child(strategy, *resolved, exec.child(), exit_code);
}

void check_event(const ExecEvent &event, const HookInfo &hook, const Expectation &expect, pid_t child,
                 const std::string &path, const std::vector<std::string> &argv, std::optional<std::int64_t> ret)
{
    CHECK(event.hook == hook.id);
    CHECK(event.tgid == static_cast<std::uint32_t>(child));
    CHECK(event.pid == static_cast<std::uint32_t>(child));
    CHECK(event.ppid == static_cast<std::uint32_t>(getpid()));
    CHECK(event.uid == getuid());
    if (hook.phase == ExecPhase::before_exec)
        CHECK(event.comm == kChildComm);
    if (expect.after_exec) {
        CHECK(event.comm == "true");
        CHECK(event.old_pid == static_cast<std::uint32_t>(child));
    }
    if (expect.filename)
        CHECK(event.filename.value_or("(none)") == path);
    else
        CHECK_FALSE(event.filename);
    if (expect.argv)
        CHECK(event.argv.value_or(std::vector<std::string>{"(none)"}) == argv);
    else
        CHECK_FALSE(event.argv);
    REQUIRE(event.retval.has_value() == ret.has_value());
    if (ret)
        CHECK(*event.retval == *ret);
    CHECK_FALSE(event.filename_truncated);
    CHECK_FALSE(event.argv_truncated);
}

// The function an event's site names; "(none)" when the site is not one of the attached functions.
std::string site_name(const ExecEvent &event, const ResolvedTarget &resolved)
{
    const std::string name = resolved.site_name(event.site);
    return name.empty() ? "(none)" : name;
}

// A hook on every exec-path function at once: an event at each function the exec passes, each
// naming its function, each with what an entry hook on that function sees.
void check_exec_path_hook(const AttachStrategy &strategy, const Expectation &expect)
{
    const HookInfo &hook = strategy.info();
    SECTION("a successful exec: bprm_execve and begin_new_exec among the functions that fired")
    {
        PendingExec exec(kGoodPath, kGoodArgv, kChildComm);
        int exit_code = -1;
        ResolvedTarget resolved;
        auto events = capture(strategy, exec, exit_code, &resolved);
        CHECK(exit_code == 0);
        std::set<std::string> fired;
        for (const auto &event : events) {
            fired.insert(site_name(event, resolved));
            check_event(event, hook, expect, exec.pid(), kGoodPath, kGoodArgv, expect.ret_success);
        }
        INFO("attached: " << resolved.describe());
        CHECK(fired.contains("bprm_execve"));
        CHECK(fired.contains("begin_new_exec"));
        CHECK_FALSE(fired.contains("(none)"));
    }
    SECTION("a failing exec (ENOENT): bprm_execve only where it opens the file itself")
    {
        PendingExec exec(kBadPath, kBadArgv, kChildComm);
        int exit_code = -1;
        ResolvedTarget resolved;
        auto events = capture(strategy, exec, exit_code, &resolved);
        CHECK(exit_code == 127);
        REQUIRE(events.size() == (expect.sees_failure ? 1u : 0u));
        if (!events.empty()) {
            CHECK(site_name(events[0], resolved) == "bprm_execve");
            check_event(events[0], hook, expect, exec.pid(), kBadPath, kBadArgv, expect.ret_failure);
        }
    }
}

void check_hook(std::string_view name)
{
    const AttachStrategy *strategy = Registry::instance().find(name);
    REQUIRE(strategy);
    const HookInfo &hook = strategy->info();
    const Support &support = hook_support(*strategy);
    if (auto reason = expected_unsupported_reason(hook.name)) {
        INFO("probectl says: " << (support.supported ? "supported" : support.reason));
        REQUIRE_FALSE(support.supported);
        REQUIRE(support.reason == *reason);
        std::cout << "SKIPPED: " << hook.name << ": " << support.reason << "\n";
        return;
    }
    if (!support.supported)  // the kernel has it: an "unsupported" here is a failure, not a skip
        FAIL("probectl reports " << hook.name << " unsupported on a kernel that has it: " << support.reason);

    SECTION("any attach point: its arguments decoded from the kernel's description")
    {
        probectl::test::check_generic_capture(*strategy);
        CHECK(programs_left_after(unload_grace()).empty());
        return;
    }
    const Expectation expect = expectation_for(name);
    if (expected_hook(name).place == Place::exec_path) {
        check_exec_path_hook(*strategy, expect);
        CHECK(programs_left_after(unload_grace()).empty());
        return;
    }
    SECTION("a successful exec")
    {
        PendingExec exec(kGoodPath, kGoodArgv, kChildComm);
        int exit_code = -1;
        auto events = capture(*strategy, exec, exit_code);
        CHECK(exit_code == 0);
        REQUIRE(events.size() == (expect.sees_success ? 1u : 0u));
        if (!events.empty())
            check_event(events[0], hook, expect, exec.pid(), kGoodPath, kGoodArgv, expect.ret_success);
    }
    SECTION("a failing exec (ENOENT)")
    {
        PendingExec exec(kBadPath, kBadArgv, kChildComm);
        int exit_code = -1;
        auto events = capture(*strategy, exec, exit_code);
        CHECK(exit_code == 127);
        REQUIRE(events.size() == (expect.sees_failure ? 1u : 0u));
        if (!events.empty())
            check_event(events[0], hook, expect, exec.pid(), kBadPath, kBadArgv, expect.ret_failure);
    }
    CHECK(programs_left_after(unload_grace()).empty());
}

}  // namespace

// Every registered hook type, each in a section of its own; PROBECTL_TEST_HOOK=NAME checks one
// (scripts/vm/kernel-tests.sh gives each its own row of the kernel matrix that way). A hook added
// to the registry is checked here with no edit but its expectation row above.
TEST_CASE("every registered hook type captures execs", "[kernel][hooks]")
{
    const char *only = std::getenv("PROBECTL_TEST_HOOK");
    if (only) {
        INFO("PROBECTL_TEST_HOOK=" << only);
        REQUIRE(Registry::instance().find(only));
    }
    for (const auto &strategy : Registry::instance().all()) {
        const std::string name(strategy->info().name);
        if (only && Registry::instance().find(only) != strategy.get())
            continue;
        DYNAMIC_SECTION(name)
        {
            check_hook(name);
        }
    }
}
