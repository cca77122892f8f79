// Bad input: one line on stderr that says what was wrong and what to do, a distinct exit code,
// nothing on stdout. These run before anything is loaded, so they need no root.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "attach/registry.h"
#include "tests/support/process.h"

using namespace probectl::test;

namespace {

Finished probectl_cli(std::vector<std::string> args)
{
    args.insert(args.begin(), probectl_binary());
    return run(args);
}

void check_one_line_error(const Finished &result, int exit_code, const std::string &text)
{
    INFO("stderr: " << result.err);
    CHECK(result.exit_code == exit_code);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("probectl: error: ", 0) == 0);
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(result.err.find(text) != std::string::npos);
}

}  // namespace

TEST_CASE("an unknown hook type exits 3 and lists the types", "[cli]")
{
    // every registered hook type, in the registry's order (its own test pins that order)
    check_one_line_error(probectl_cli({"attach", "--type", "kprobes", "execve"}), 3,
                         "unknown hook type 'kprobes'. Hint: choose one of: " +
                             probectl::Registry::instance().names());
}

TEST_CASE("a malformed target exits 2 with the accepted forms", "[cli]")
{
    check_one_line_error(probectl_cli({"attach", "--type", "tp", "sched:"}), 2,
                         "malformed target 'sched:'. Hint: use execve, a kernel function");
}

TEST_CASE("bad options exit 2", "[cli]")
{
    check_one_line_error(probectl_cli({"attach", "--type", "tp", "execve", "--count", "abc"}), 2, "--count");
    check_one_line_error(probectl_cli({"attach", "--type", "tp", "execve", "--count", "0"}), 2,
                         "--count must be at least 1");
    check_one_line_error(probectl_cli({"attach", "--type", "tp", "execve", "--comm", "a-very-long-command"}), 2,
                         "longer than the kernel's 15 bytes");
    check_one_line_error(probectl_cli({"attach", "execve"}), 2, "--type is required");
    check_one_line_error(probectl_cli({}), 2, "A subcommand is required");
}

TEST_CASE("without privileges attach exits 8 and says to run as root", "[cli]")
{
    std::vector<std::string> args;
    if (geteuid() == 0)  // drop to nobody, with no capabilities at all
        args = {"/usr/bin/setpriv", "--reuid=65534",   "--regid=65534",
                "--clear-groups",   "--inh-caps=-all", "--bounding-set=-all"};
    args.push_back(probectl_binary());
    for (const char *arg : {"attach", "--type", "tracepoint", "execve"})
        args.emplace_back(arg);
    check_one_line_error(run(args), 8,
                         "loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN). "
                         "Hint: run probectl as root");
}

TEST_CASE("bench: a bad tier, hook type, sample count or output folder is refused before anything loads", "[cli]")
{
    check_one_line_error(probectl_cli({"bench", "--tier", "micro,turbo"}), 2,
                         "--tier turbo: no such tier. Hint: pick from startup, micro, exec, pipeline");
    check_one_line_error(probectl_cli({"bench", "--types", "fentry,kprobes"}), 3, "unknown hook type 'kprobes'");
    check_one_line_error(probectl_cli({"bench", "--samples", "0"}), 2, "--samples must be at least 1");
    check_one_line_error(probectl_cli({"bench", "--html", "/nonexistent-folder/bench.html"}), 11,
                         "--html /nonexistent-folder/bench.html: folder /nonexistent-folder does not exist");
}

TEST_CASE("lab: an unknown lab or action exits 2 and names the labs", "[cli]")
{
    check_one_line_error(probectl_cli({"lab", "99"}), 2,
                         "there is no lab 99. Hint: the labs are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13");
    check_one_line_error(probectl_cli({"lab", "check"}), 2, "lab check needs a lab number");
    check_one_line_error(probectl_cli({"lab", "frobnicate"}), 2, "lab: unknown action 'frobnicate'");
}

TEST_CASE("btf option: a missing or non-BTF --btf file exits 11 before anything is loaded", "[cli]")
{
    check_one_line_error(probectl_cli({"--btf", "/nonexistent.btf", "list"}), 11,
                         "--btf /nonexistent.btf: no such file. Hint: give a vmlinux or BTF file");
    check_one_line_error(probectl_cli({"attach", "--btf", "/etc/passwd", "--type", "tracepoint", "execve"}), 11,
                         "--btf /etc/passwd: not a BTF file, nor an ELF file with BTF");
}
