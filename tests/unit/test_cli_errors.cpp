// Bad input: one line on stderr that says what was wrong and what to do, a distinct exit code,
// nothing on stdout. These run before anything is loaded, so they need no root.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
                         "unknown hook type 'kprobes'. Hint: did you mean kprobe? choose one of: " +
                             probectl::Registry::instance().names());
    check_one_line_error(probectl_cli({"attach", "--type", "fenty", "execve"}), 3,
                         "unknown hook type 'fenty'. Hint: did you mean fentry? choose one of: ");
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
    check_one_line_error(probectl_cli({"attach", "execve"}), 2,
                         "probectl attach: --type is required. Hint: probectl attach --help lists its options");
    check_one_line_error(probectl_cli({}), 2, "no command given. Hint: probectl COMMAND, one of: list, doctor, ");
}

TEST_CASE("an unknown command or option is named, with the nearest", "[cli]")
{
    check_one_line_error(
        probectl_cli({"atach", "--type", "tp", "execve"}), 2,
        "unknown command 'atach'. Hint: did you mean attach? the commands are list, doctor, "
        "explain, targets, btf, attach, compare, report, bench, lab, completion; probectl --help says what each "
        "does");
    check_one_line_error(probectl_cli({"frobnicate"}), 2, "unknown command 'frobnicate'. Hint: the commands are ");
    check_one_line_error(probectl_cli({"-v", "--btf", "/x.btf", "lsit"}), 2,
                         "unknown command 'lsit'. Hint: did you mean list?");  // --btf's value is no command
    check_one_line_error(probectl_cli({"attach", "--type", "tp", "execve", "--cout", "3"}), 2,
                         "probectl attach has no option '--cout'. Hint: did you mean --count? probectl attach "
                         "--help lists its options");
    check_one_line_error(probectl_cli({"compare", "--evnt=openat"}), 2,
                         "probectl compare has no option '--evnt'. Hint: did you mean --event?");
    // two short flags in one (-xT) are no unknown option: what is missing is said instead
    check_one_line_error(probectl_cli({"attach", "-xT", "execve"}), 2, "probectl attach: --type is required.");
}

TEST_CASE("help: probectl help [COMMAND], --version, examples, 80 columns", "[cli]")
{
    auto version = probectl_cli({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.starts_with("probectl 0."));
    auto attach = probectl_cli({"help", "attach"});
    CHECK(attach.exit_code == 0);
    CHECK(attach.out.starts_with("attach one hook type and stream the events it sees\nUsage: probectl attach "));
    CHECK(attach.out.find("\nHook types: kprobe, kretprobe, fentry,") != std::string::npos);
    CHECK(attach.out.find("\n  probectl attach -t tracepoint execve --count 5\n") != std::string::npos);
    CHECK(probectl_cli({"help"}).out == probectl_cli({"--help"}).out);
    for (const char *command : {"", "list", "doctor", "explain", "targets", "btf", "attach", "compare", "report",
                                "bench", "lab", "completion"}) {
        auto help = *command ? probectl_cli({"help", command}) : probectl_cli({"help"});
        INFO("probectl help " << command << ":\n" << help.out);
        CHECK(help.exit_code == 0);
        CHECK(help.err.empty());
        CHECK(help.out.find("Example") != std::string::npos);
        std::istringstream lines(help.out);
        for (std::string line; std::getline(lines, line);)
            CHECK(line.size() <= 80);
    }
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

TEST_CASE("report: a file that is not a recording, or one kernel's event twice, is a one-line error", "[cli]")
{
    const std::string fixture = test_data_dir() + "/compare/kernel-5.10.json";
    check_one_line_error(probectl_cli({"report", "/etc/hostname"}), 11, "/etc/hostname is not JSON");
    check_one_line_error(probectl_cli({"report", fixture, fixture}), 11,
                         "a second recording of execve on 5.10.0-46-amd64");
    check_one_line_error(probectl_cli({"report"}), 2, "recordings is required");
    const std::string newer = std::filesystem::temp_directory_path() / "probectl-newer-bench.json";
    std::ofstream(newer) << R"({"probectl_bench": 2, "environment": {}})";
    check_one_line_error(probectl_cli({"report", newer}), 11,
                         newer + ": bench results of format version 2, this probectl reads 1");
    std::filesystem::remove(newer);
    const auto two = probectl_cli({"report", fixture, test_data_dir() + "/compare/kernel-6.18.json"});
    CHECK(two.exit_code == 0);
    CHECK(two.out.find("Kernels, oldest first:") == 0);
}
