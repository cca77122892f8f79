// probectl compare --event on the running kernel: the built-in calls of openat, unlinkat and connect
// through every hook type at once. What each hook must see of each call is written out here, one row
// a hook type (a hook without a row fails): every hook at the syscall sees every call, except libc's
// wrappers, which a raw syscall(2) passes by; lsm has no point for a syscall; a hook this kernel
// lacks is not attached, for the reason found independently (expected_hooks.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "loader/bpf_inventory.h"
#include "tests/kernel/compare_fields.h"
#include "tests/kernel/compare_hooks.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/contains.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Where a hook type sees a syscall's call.
enum class Sees {
    entry,          // its arguments, as the call enters the kernel (or sys_enter)
    kernel_return,  // its return value as the kernel returns it (a negative errno)
    libc_entry,     // libc's function of that name: its arguments
    libc_return,    // libc's function returning: -1 on failure, errno aside
    nothing,        // no point for a syscall (lsm)
};

const std::map<std::string, Sees> kSees{
    {"kprobe", Sees::entry},
    {"kretprobe", Sees::kernel_return},
    {"fentry", Sees::entry},
    {"fexit", Sees::kernel_return},
    {"tracepoint", Sees::entry},
    {"tp_btf", Sees::entry},
    {"raw_tp", Sees::entry},
    {"uprobe", Sees::libc_entry},
    {"uretprobe", Sees::libc_return},
    {"ksyscall", Sees::entry},
    {"lsm", Sees::nothing},
    {"kprobe.multi", Sees::entry},
    {"uprobe.multi", Sees::libc_entry},
};

Sees sees(const std::string &hook)
{
    auto it = kSees.find(hook);
    if (it == kSees.end())
        FAIL("no row for hook " << hook << " in kSees: write what it sees of a syscall");
    return it->second;
}

bool in_libc(const std::string &hook)
{
    return sees(hook) == Sees::libc_entry || sees(hook) == Sees::libc_return;
}

json compare_event(const std::string &syscall)
{
    auto finished = run(compare_command(syscall), 120s);
    INFO("stderr: " << finished.err);
    REQUIRE(finished.exit_code == 0);
    return json::parse(finished.out);
}

const json &call(const json &report, const std::string &scenario)
{
    for (const auto &c : report["execs"])
        if (c["scenario"] == scenario)
            return c;
    FAIL("no call " << scenario << " in the report");
    static const json none;
    return none;
}

// Which hooks took part in a syscall's comparison: lsm has no point for a syscall.
std::set<std::string> syscall_hooks(const json &report, const std::string &syscall)
{
    return attached_hooks(report, {{"lsm", "lsm attaches to LSM hooks, and the " + syscall + " syscall is none"}});
}

// Every attached hook sees each of the four calls once, libc's but the raw one; the outcomes are
// the workload's own; nothing of the workload goes unexplained, and nothing stays loaded.
void check_calls(const json &report, const std::string &syscall, const std::string &failure,
                 const std::string &errno_name)
{
    INFO(syscall << ": " << report.dump());
    CHECK(report["event"] == syscall);
    const auto attached = syscall_hooks(report, syscall);
    REQUIRE(report["execs"].size() == 4);
    CHECK(call(report, failure)["errno_name"] == errno_name);
    for (const auto &c : report["execs"]) {
        const std::string scenario = c["scenario"];
        if (scenario != failure)
            CHECK(c["error"] == 0);
        CHECK(c["raw_syscall"] == (scenario == "raw"));
        for (const auto &hook : attached) {
            INFO("call " << scenario << ", hook " << hook);
            const bool passed_by = in_libc(hook) && scenario == "raw";
            // A run the kernel skipped (a preemptible tracepoint let another syscall in on the CPU
            // where the program ran: sys_enter on 7.x) is a miss it counts, and the report says so.
            const bool skipped = c["coverage"][hook]["cause"].is_string() &&
                                 c["coverage"][hook]["cause"].get<std::string>().starts_with(
                                     "missed: the kernel skipped the program");
            CHECK(c["coverage"][hook]["count"] == (passed_by || skipped ? 0 : 1));
            if (passed_by)
                CHECK(c["coverage"][hook]["cause"] ==
                      "attached to libc's " + syscall + "; this call was a raw syscall(2), which never enters it");
        }
    }
    CHECK(report["unexplained"].empty());
    CHECK(report["unknown_causes"] == 0);
    CHECK(programs_left_after(unload_grace()).empty());
}

// The return values of the failed call: the kernel's negative errno, libc's -1.
void check_failed_return(const json &report, const std::string &failure, int err)
{
    const auto ret = field_values(call(report, failure), "ret");
    for (const auto &hook : syscall_hooks(report, report["event"])) {
        INFO("hook " << hook << ": " << call(report, failure)["fields"].dump());
        if (sees(hook) == Sees::kernel_return)
            CHECK(ret.at(hook) == std::to_string(-err));
        if (sees(hook) == Sees::libc_return)
            CHECK(ret.at(hook) == "-1");
    }
}

}  // namespace

TEST_CASE("compare --event openat: each call through each hook, the raw syscall past libc's", "[compare]")
{
    const json report = compare_event("openat");
    check_calls(report, "openat", "enoent", "ENOENT");
    check_failed_return(report, "enoent", ENOENT);
    // The file name, as each hook that reads arguments read it, is the one the call named.
    for (const auto &c : report["execs"]) {
        const auto names = field_values(c, "filename");
        for (const auto &hook : syscall_hooks(report, "openat"))
            if (sees(hook) == Sees::entry || (sees(hook) == Sees::libc_entry && c["scenario"] != "raw")) {
                INFO("hook " << hook << ", call " << c["scenario"] << ": " << c["fields"].dump());
                REQUIRE(names.contains(hook));
                CHECK(names.at(hook) == "\"" + c["path"].get<std::string>() + "\"");
            }
    }
}

TEST_CASE("compare --event unlinkat: a removed file, a missing one, a thread's, a raw syscall's", "[compare]")
{
    const json report = compare_event("unlinkat");
    check_calls(report, "unlinkat", "enoent", "ENOENT");
    check_failed_return(report, "enoent", ENOENT);
}

TEST_CASE("compare --event connect: to loopback, accepted and refused", "[compare]")
{
    const json report = compare_event("connect");
    check_calls(report, "connect", "refused", "ECONNREFUSED");
    check_failed_return(report, "refused", ECONNREFUSED);
    CHECK_THAT(call(report, "refused")["path"].get<std::string>(), Catch::StartsWith("127.0.0.1:"));
}

TEST_CASE("compare -- CMD: the command's output goes to stderr, never into the report", "[compare]")
{
    auto finished = run({probectl_binary(), "compare", "--event", "openat", "--json", "--", "/bin/sh", "-c",
                         "echo pctl-command-says; cat /etc/hostname >/dev/null"},
                        120s);
    INFO("stderr: " << finished.err);
    REQUIRE(finished.exit_code == 0);
    CHECK_THAT(finished.err, Catch::Contains("pctl-command-says\n"));
    CHECK(finished.out.find("pctl-command-says\n") == std::string::npos);  // the argv holds it, not a line
    const json report = json::parse(finished.out);                         // the whole of stdout is the report
    CHECK(report["event"] == "openat");
    CHECK_FALSE(report["execs_known"].get<bool>());
    bool opened = false;
    for (const auto &c : report["execs"])
        opened = opened || c["path"] == "/etc/hostname";
    CHECK(opened);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("compare with no hook type that can take part refuses before the workload runs", "[compare]")
{
    // lsm has no point for a syscall on any kernel; where it does not work at all, that is the reason
    auto refused = run({probectl_binary(), "compare", "--event", "openat", "--types", "lsm"});
    const auto lacks = expected_unsupported_reason("lsm");
    CHECK(refused.exit_code == (lacks ? 7 : 5));  // unsupported; target untraceable
    CHECK(refused.out.empty());
    CHECK(refused.err == "probectl: error: no hook type asked for can take part: lsm (" +
                             (lacks ? "not supported on this kernel: " + *lacks
                                    : "lsm attaches to LSM hooks, and the openat syscall is none. Hint: probectl "
                                      "targets lists the LSM hooks (file_open, ...); probectl explain names them "
                                      "too") +
                             "). Hint: probectl list shows the hook types that work here; --types picks others\n");
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("compare --event: a name that is no syscall or event is one line, with the nearest", "[compare]")
{
    auto typo = run({probectl_binary(), "compare", "--event", "opnat"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.out.empty());
    CHECK(typo.err ==
          "probectl: error: --event: 'opnat' is neither a syscall of this kernel nor an event probectl "
          "declares. Hint: did you mean openat? probectl explain NAME says what a name is; "
          "docs/events.md lists the events\n");
    auto none = run({probectl_binary(), "compare", "--event", "read"});
    CHECK(none.exit_code == 2);
    CHECK(none.err == "probectl: error: probectl has no built-in scenarios for read. Hint: give a command that "
                      "calls it: probectl compare --event read -- CMD ARGS\n");
    CHECK(programs_left_after(unload_grace()).empty());
}

namespace {

// How each hook type sees process-exit's four ways to end, per occurrence: 1 exit(), 2a a thread's
// pthread_exit, 2b its process's exit(), 3 SIGKILL, 4 syscall(SYS_exit_group). 0 with the cause's
// words, or not attached at all (the reason's words).
struct ExitRow {
    std::map<std::string, unsigned> seen;  // occurrence id -> events
    std::string cause;                     // an absence's cause contains this
    std::string not_attached;              // nonempty: not attached, the reason contains this
};

const std::map<std::string, unsigned> kEvery{{"1", 1}, {"2a", 1}, {"2b", 1}, {"3", 1}, {"4", 1}};

const std::map<std::string, ExitRow> kExit{
    {"kprobe", {kEvery, "", ""}},
    {"kretprobe", {{}, "", "do_exit never returns"}},
    {"fentry", {kEvery, "", ""}},
    {"fexit", {{}, "", "never returns"}},
    {"tracepoint", {kEvery, "", ""}},
    {"tp_btf", {kEvery, "", ""}},
    {"raw_tp", {kEvery, "", ""}},
    {"uprobe", {{{"1", 1}, {"2a", 0}, {"2b", 1}, {"3", 0}, {"4", 0}}, "libc", ""}},
    {"uretprobe", {{}, "", "_exit never returns"}},
    {"ksyscall", {{{"1", 1}, {"2a", 0}, {"2b", 1}, {"3", 0}, {"4", 1}}, "exit", ""}},
    {"lsm", {{}, "", "no LSM hook runs in the exiting task"}},
    {"kprobe.multi", {kEvery, "", ""}},
    {"uprobe.multi", {{{"1", 2}, {"2a", 0}, {"2b", 2}, {"3", 0}, {"4", 0}}, "libc", ""}},  // exit, then _exit
};

const ExitRow &exit_row(const std::string &hook)
{
    auto it = kExit.find(hook);
    if (it == kExit.end())
        FAIL("no row for hook " << hook << " in kExit: write how it sees a process's end");
    return it->second;
}

}  // namespace

TEST_CASE("compare --event process-exit: exit(), a thread's end, SIGKILL, a raw exit_group", "[compare]")
{
    const json report = compare_event("process-exit");
    INFO(report.dump());
    REQUIRE(report["execs"].size() == 5);
    std::map<std::string, std::string> refused;
    for (const auto &[hook, row] : kExit)
        if (!row.not_attached.empty())
            refused[hook] = row.not_attached;
    for (const auto &name : attached_hooks(report, refused)) {
        const ExitRow &row = exit_row(name);
        INFO("hook " << name);
        for (const auto &occurrence : report["execs"]) {
            const std::string id = occurrence["id"];
            INFO("occurrence " << id);
            CHECK(occurrence["error"] == 0);  // each ended as it meant to
            CHECK(occurrence["coverage"][name]["count"] == row.seen.at(id));
            if (row.seen.at(id) == 0)
                CHECK_THAT(occurrence["coverage"][name]["cause"].get<std::string>(), Catch::Contains(row.cause));
        }
    }
    // The workload's own end is its harness's, not a scenario's: it is not captured.
    CHECK(report["unexplained"].empty());
    CHECK(report["unknown_causes"] == 0);
    CHECK(programs_left_after(unload_grace()).empty());
}

namespace {

// How each hook type sees process-fork's four ways to make a task: 1 fork(), 2 pthread_create
// (clone3), 3 vfork(), 4 syscall(SYS_clone). Counts per occurrence, and an absence's cause words.
struct ForkRow {
    std::map<std::string, unsigned> seen;  // scenario -> events
    std::string cause;
};

const std::map<std::string, unsigned> kEveryFork{{"fork", 1}, {"thread", 1}, {"vfork", 1}, {"raw", 1}};

const std::map<std::string, ForkRow> kFork{
    {"kprobe", {kEveryFork, ""}},
    {"kretprobe", {kEveryFork, ""}},  // in the parent only: the child starts at ret_from_fork
    {"fentry", {kEveryFork, ""}},
    {"fexit", {kEveryFork, ""}},
    {"tracepoint", {kEveryFork, ""}},
    {"tp_btf", {kEveryFork, ""}},
    {"raw_tp", {kEveryFork, ""}},
    {"uprobe", {{{"fork", 1}, {"thread", 0}, {"vfork", 0}, {"raw", 0}}, "fork"}},
    // fork returns twice: in the parent, and in the child (its first view)
    {"uretprobe", {{{"fork", 2}, {"thread", 0}, {"vfork", 0}, {"raw", 0}}, "fork"}},
    {"ksyscall", {{{"fork", 1}, {"thread", 0}, {"vfork", 0}, {"raw", 1}}, "ksyscall is on clone"}},
    {"lsm", {kEveryFork, ""}},
    {"kprobe.multi", {kEveryFork, ""}},
    {"uprobe.multi", {{{"fork", 1}, {"thread", 0}, {"vfork", 1}, {"raw", 0}}, "fork"}},
};

const ForkRow &fork_row(const std::string &hook)
{
    auto it = kFork.find(hook);
    if (it == kFork.end())
        FAIL("no row for hook " << hook << " in kFork: write how it sees a task being made");
    return it->second;
}

// Every value one hook reported for a field of an occurrence, in the order of the report.
std::vector<std::string> values_of(const json &occurrence, const std::string &field, const std::string &hook)
{
    std::vector<std::string> out;
    for (const auto &f : occurrence["fields"])
        if (f["field"] == field)
            for (const auto &v : f["values"])
                if (v["hook"] == hook)
                    out.push_back(v["value"]);
    return out;
}

}  // namespace

TEST_CASE("compare --event process-fork: fork, a thread, vfork, a raw clone; the child's first view", "[compare]")
{
    const json report = compare_event("process-fork");
    INFO(report.dump());
    REQUIRE(report["execs"].size() == 4);
    const auto attached = attached_hooks(report);
    for (const auto &name : attached) {
        const ForkRow &row = fork_row(name);
        INFO("hook " << name);
        for (const auto &occurrence : report["execs"]) {
            const std::string scenario = occurrence["scenario"];
            INFO("occurrence " << scenario);
            CHECK(occurrence["error"] == 0);
            CHECK(occurrence["coverage"][name]["count"] == row.seen.at(scenario));
            if (row.seen.at(scenario) == 0)
                CHECK_THAT(occurrence["coverage"][name]["cause"].get<std::string>(), Catch::Contains(row.cause));
        }
    }
    // The task each made is its own: the kernel's return in the parent names it, and fork's
    // uretprobe fires in it, returning 0.
    const json &forked = call(report, "fork");
    const std::string child = std::to_string(forked["created"].get<unsigned>());
    CHECK(forked["created"] != 0);
    for (const std::string hook : {"kretprobe", "fexit"})
        if (attached.contains(hook))
            CHECK(values_of(forked, "ret", hook) == std::vector<std::string>{child});
    if (attached.contains("uretprobe")) {
        auto returned = values_of(forked, "ret", "uretprobe");
        std::ranges::sort(returned);
        CHECK(returned == std::vector<std::string>{"0", child});
        unsigned in_child = 0;
        for (const auto &entry : forked["timeline"])
            if (entry["in_child"].get<bool>()) {
                CHECK(entry["hook"] == "uretprobe");
                CHECK(std::to_string(entry["pid"].get<unsigned>()) == child);
                in_child++;
            }
        CHECK(in_child == 1);
    }
    CHECK(report["unexplained"].empty());  // nor the workload's own forks of the scenarios' children
    CHECK(report["unknown_causes"] == 0);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("compare --event tcp-connect: tcp_v4_connect returns 0 where the connect is refused", "[compare]")
{
    const json report = compare_event("tcp-connect");
    INFO(report.dump());
    REQUIRE(report["execs"].size() == 4);
    const json &refused = call(report, "refused");
    CHECK(refused["errno_name"] == "ECONNREFUSED");
    const auto ret = field_values(refused, "ret");
    for (const auto &name : attached_hooks(report)) {
        INFO("hook " << name);
        for (const auto &c : report["execs"]) {
            const auto count = c["coverage"][name]["count"].get<unsigned>();
            if (in_libc(name) && c["scenario"] == "raw")
                CHECK(count == 0);
            else if (name == "tracepoint" || name == "tp_btf" || name == "raw_tp")
                CHECK(count >= 1);  // every state change of the socket: CLOSE to SYN_SENT, and on
            else
                CHECK(count == 1);
        }
        // The SYN goes out and tcp_v4_connect returns 0; the refusal comes later, to the syscall.
        if (sees(name) == Sees::kernel_return)
            CHECK(ret.at(name) == "0");
        if (sees(name) == Sees::libc_return)
            CHECK(ret.at(name) == "-1");
    }
    CHECK(report["unknown_causes"] == 0);
    CHECK(programs_left_after(unload_grace()).empty());
}
