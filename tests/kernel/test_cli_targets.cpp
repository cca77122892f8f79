// probectl targets and explain with globs on the running kernel, and attach's argument overrides:
// what a user types to find an attach point and what it decodes, end to end.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "attach/registry.h"
#include "cli/exit_codes.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/contains.h"
#include "tests/support/folded_text.h"
#include "tests/support/process.h"

using namespace probectl::test;

TEST_CASE("targets: a glob's tracepoints, with the hooks that can use each and their arguments", "[cli]")
{
    auto listed = run({probectl_binary(), "targets", "sched:sched_process_ex*", "-v"});
    INFO("stderr: " << listed.err);
    REQUIRE(listed.exit_code == 0);
    const std::string text = unfolded(listed.out);
    CHECK(contains(text, "tracepoint sched:sched_process_exec tracepoint"));
    CHECK(contains(text, "the format file of sched:sched_process_exec: filename (data_loc), pid (int), "
                         "old_pid (int)"));

    auto json = run({probectl_binary(), "targets", "sched_process_exec", "--json"});
    REQUIRE(json.exit_code == 0);
    auto document = nlohmann::json::parse(json.out);
    REQUIRE(document["targets"].size() == 1);
    const auto &target = document["targets"][0];
    CHECK(target["name"] == "sched:sched_process_exec");
    CHECK(target["hooks"][0] == "tracepoint");  // every kernel of the matrix has it
    for (const auto &hook : {"tp_btf", "raw_tp"}) {
        const bool listed_here = contains(target["hooks"].dump(), std::string("\"") + hook + "\"");
        CHECK(listed_here == !expected_unsupported_reason(hook).has_value());
    }
}

TEST_CASE("targets: a binary's functions; no match is an error with a hint", "[cli]")
{
    auto libc = run({probectl_binary(), "targets", "libc:execv*"});
    REQUIRE(libc.exit_code == 0);
    CHECK(contains(unfolded(libc.out), ":execve uprobe uretprobe"));

    auto none = run({probectl_binary(), "targets", "no_such_attach_point_*"});
    CHECK(none.exit_code == probectl::exit_code(probectl::ErrorKind::target_not_found));
    CHECK(none.out.empty());
    CHECK(none.err == "probectl: error: no attach point matches 'no_such_attach_point_*'. Hint: a glob matches "
                      "whole names: 'vfs_*', 'sched:*', '*openat*', '/usr/bin/bash:*'\n");
}

TEST_CASE("explain a glob: each match, with what attach decodes there", "[cli]")
{
    auto result = run({probectl_binary(), "explain", "sched:sched_process_ex*"});
    INFO("stderr: " << result.err);
    REQUIRE(result.exit_code == 0);
    const std::string text = unfolded(result.out);
    CHECK(contains(text, "sched:sched_process_exec: tracepoint"));
    CHECK(contains(text, "decodes filename (data_loc), pid (int), old_pid (int) (from the format file of "
                         "sched:sched_process_exec)"));
}

TEST_CASE("attach --arg: a bad override is one line, exit code, nothing attached", "[cli]")
{
    auto result = run({probectl_binary(), "attach", "--type", "tracepoint", "syscalls:sys_enter_openat", "--arg",
                       "flagz:int", "--count", "1"});
    CHECK(result.exit_code == probectl::exit_code(probectl::ErrorKind::usage));
    // 7.x's record adds __filename_val (the path, copied by the kernel) to the four arguments
    CHECK(result.err.starts_with("probectl: error: --arg 'flagz:int': this attach point has no argument 'flagz'. "
                                 "Hint: write --arg N:TYPE or NAME:TYPE, N or NAME one of 0 dfd, 1 filename, 2 "
                                 "flags, 3 mode"));
    CHECK(result.err.ends_with("; TYPE one of int, uint, long, ulong, ptr, str, ustr, kstr\n"));
    auto exec =
        run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "--arg", "0:str", "--count", "1"});
    CHECK(exec.exit_code == probectl::exit_code(probectl::ErrorKind::usage));
    CHECK(contains(exec.err, "--arg applies to a generic capture, and tracepoint at syscalls:sys_enter_execve "
                             "decodes the exec itself (filename, argv)"));
}

TEST_CASE("targets: LSM hooks are the hook table's members; fexit is not offered where nothing returns", "[cli]")
{
    auto hooks = run({probectl_binary(), "targets", "file_open", "--json"});
    REQUIRE(hooks.exit_code == 0);
    auto document = nlohmann::json::parse(hooks.out);
    REQUIRE(document["targets"].size() == 1);
    CHECK(document["targets"][0]["kind"] == "lsm hook");
    // bpf_lsm_verify_prog is BPF LSM's own function, in BTF beside the hooks: not a hook
    auto helper = run({probectl_binary(), "targets", "verify_prog"});
    CHECK(helper.exit_code == probectl::exit_code(probectl::ErrorKind::target_not_found));

    auto exit = run({probectl_binary(), "targets", "do_exit", "--json"});
    REQUIRE(exit.exit_code == 0);
    const auto listed = nlohmann::json::parse(exit.out);
    const auto &entry = listed["targets"][0];
    CHECK_FALSE(contains(entry["hooks"].dump(), "\"fexit\""));
    CHECK_FALSE(contains(entry["hooks"].dump(), "\"kretprobe\""));
    CHECK(contains(entry["note"].get<std::string>(), "it never returns, so a return probe there never fires"));
}

TEST_CASE("a misspelt attach point: the nearest names, and the glob that lists them", "[cli]")
{
    auto result = run({probectl_binary(), "attach", "--type", "tracepoint", "sched:sched_swich", "--count", "1"});
    CHECK(result.exit_code == probectl::exit_code(probectl::ErrorKind::target_not_found));
    CHECK(result.err ==
          "probectl: error: tracepoint 'sched:sched_swich' not found in tracefs available_events. "
          "Hint: did you mean sched:sched_switch? probectl targets 'sched:*' lists its neighbours\n");
    auto explained = run({probectl_binary(), "explain", "vfs_reed"});
    CHECK(contains(explained.out, "not a kernel function here; did you mean vfs_read"));
}

TEST_CASE("probectl -v targets is targets -v: the arguments of each", "[cli]")
{
    auto result = run({probectl_binary(), "-v", "targets", "sched:sched_process_exec"});
    REQUIRE(result.exit_code == 0);
    CHECK(contains(unfolded(result.out), "the format file of sched:sched_process_exec: filename (data_loc)"));
}
