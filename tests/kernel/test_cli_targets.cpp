// probectl targets and explain with globs on the running kernel, and attach's argument overrides:
// what a user types to find an attach point and what it decodes, end to end.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "attach/registry.h"
#include "cli/exit_codes.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl::test;

namespace {

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("targets: a glob's tracepoints, with the hooks that can use each and their arguments", "[cli]")
{
    auto listed = run({probectl_binary(), "targets", "sched:sched_process_ex*", "-v"});
    INFO("stderr: " << listed.err);
    REQUIRE(listed.exit_code == 0);
    CHECK(contains(listed.out, "tracepoint sched:sched_process_exec tracepoint"));
    CHECK(contains(listed.out, "the format file of sched:sched_process_exec: filename (data_loc), pid (int), "
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
    CHECK(contains(libc.out, ":execve "));
    CHECK(contains(libc.out, "uprobe uretprobe"));

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
    CHECK(contains(result.out, "sched:sched_process_exec: tracepoint"));
    CHECK(contains(result.out, "decodes filename (data_loc), pid (int), old_pid (int) (from the format file of "
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
