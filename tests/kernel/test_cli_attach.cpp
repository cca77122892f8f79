// probectl attach as a user runs it: events from execs started by another shell, NDJSON that
// parses, Ctrl-C that detaches and summarises, and the words for a hook this kernel lacks.
#include <catch2/catch.hpp>

#include <sys/mount.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "loader/kernel_facts.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using namespace std::chrono_literals;

namespace {

// A shell whose command name (comm) is ours alone: execs it starts can be told from the machine's.
struct NamedShell {
    std::filesystem::path dir;
    std::filesystem::path shell;
    NamedShell()
    {
        char pattern[] = "/tmp/probectl-cli-XXXXXX";
        dir = mkdtemp(pattern);
        shell = dir / "pctlshell";
        std::filesystem::create_symlink("/bin/bash", shell);
    }
    ~NamedShell() { std::filesystem::remove_all(dir); }
};

std::vector<std::string> lines_of(const std::string &text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("attach --type tracepoint execve --count 3 --json: three execs from another shell", "[cli]")
{
    NamedShell shell;
    Background probectl_run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "--count", "3",
                             "--json", "--comm", "pctlshell"});
    REQUIRE(probectl_run.wait_for_stderr("attached tracepoint to syscalls:sys_enter_execve", 30s));
    auto shell_run = run({shell.shell.string(), "-c", "/bin/true one; /bin/true two; /bin/true three"});
    REQUIRE(shell_run.exit_code == 0);

    auto finished = probectl_run.wait(20s);
    REQUIRE(finished);
    INFO("stderr: " << finished->err);
    CHECK(finished->exit_code == 0);
    auto lines = lines_of(finished->out);
    REQUIRE(lines.size() == 3);
    const std::vector<std::string> words{"one", "two", "three"};
    for (size_t i = 0; i < 3; i++) {
        auto event = nlohmann::json::parse(lines[i]);
        CHECK(event["hook"] == "tracepoint");
        CHECK(event["target"] == "syscalls:sys_enter_execve");
        CHECK(event["comm"] == "pctlshell");
        CHECK(event["filename"] == "/bin/true");
        CHECK(event["argv"] == nlohmann::json::array({"/bin/true", words[i]}));
        CHECK(event["ret"].is_null());
    }
    CHECK(finished->err.find("(--count 3): 3 events shown; the kernel program emitted 3 and dropped none") !=
          std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("Ctrl-C detaches, prints the summary and exits 0", "[cli]")
{
    Background probectl_run({probectl_binary(), "attach", "--type", "raw_tp", "execve"});
    REQUIRE(probectl_run.wait_for_stderr("attached raw_tp to sched_process_exec", 30s));
    CHECK(loaded_programs_named() == std::vector<std::string>{"pctl_raw_tp"});
    probectl_run.signal(SIGINT);
    auto finished = probectl_run.wait(20s);
    REQUIRE(finished);
    CHECK(finished->exit_code == 0);
    CHECK(finished->out.rfind("TIME(s)", 0) == 0);
    CHECK(finished->err.find("detached raw_tp from sched_process_exec (Ctrl-C):") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE(
    "a hook this kernel lacks exits 7 with the kernel's reason; where kprobes exist, a kprobe captures an exec; "
    "nothing stays loaded",
    "[cli]")
{
    // Every hook type this kernel lacks, by the reason found independently of probectl: exit 7, the
    // reason in one line, nothing on stdout. On the development host: the kprobe family and fentry/fexit.
    // The hook types are the registry's, so that a new one is checked here too.
    for (const auto &strategy : Registry::instance().all()) {
        const std::string hook(strategy->info().name);
        auto reason = expected_unsupported_reason(hook);
        if (!reason)
            continue;
        auto result = run({probectl_binary(), "attach", "--type", hook, "execve"});
        INFO(hook << ": " << result.err);
        CHECK(result.exit_code == 7);
        CHECK(result.out.empty());
        CHECK(result.err == "probectl: error: " + hook + " is not supported on this kernel: " + *reason +
                                ". Hint: probectl list shows the hook types that work here\n");
    }
    if (kernel_config_option("CONFIG_KPROBES") != std::string()) {
        // This kernel has kprobes (every matrix kernel): the positive side. The kprobe fires in the
        // exec's caller, before exec, so the comm is this test's own.
        Background probectl_run({probectl_binary(), "attach", "--type", "kprobe", "execve", "--count", "1",
                                 "--json", "--comm", own_comm()});
        REQUIRE(probectl_run.wait_for_stderr("attached kprobe", 30s));
        REQUIRE(run({"/bin/true"}).exit_code == 0);
        auto finished = probectl_run.wait(20s);
        if (!finished) {  // no event: stop it, and show what it said
            probectl_run.signal(SIGINT);
            finished = probectl_run.wait(20s);
            REQUIRE(finished);
            FAIL("the kprobe saw no exec of /bin/true from " << own_comm() << "; stderr: " << finished->err);
        }
        INFO("stderr: " << finished->err);
        CHECK(finished->exit_code == 0);
        auto lines = lines_of(finished->out);
        REQUIRE(lines.size() == 1);
        auto event = nlohmann::json::parse(lines[0]);
        CHECK(event["hook"] == "kprobe");
        CHECK(event["filename"] == "/bin/true");
        CHECK(event["comm"] == own_comm());
        CHECK(finished->err.find("(--count 1): 1 event shown; the kernel program emitted 1 and dropped none") !=
              std::string::npos);
    }
    CHECK(programs_left_after(unload_grace()).empty());
}

namespace {

// probectl attach --type HOOK execve OPTIONS while this test execs /bin/true once; stopped by
// SIGINT when it has not ended by itself (no event). nullopt: it did not end even then.
std::optional<Finished> attach_while_true_runs(const std::string &hook, const std::vector<std::string> &options)
{
    std::vector<std::string> args{probectl_binary(), "attach", "--type", hook, "execve"};
    args.insert(args.end(), options.begin(), options.end());
    Background probectl_run(args);
    if (!probectl_run.wait_for_stderr("attached " + hook, 30s))
        return std::nullopt;
    if (run({"/bin/true"}).exit_code != 0)
        return std::nullopt;
    auto finished = probectl_run.wait(20s);
    if (!finished) {
        probectl_run.signal(SIGINT);
        finished = probectl_run.wait(20s);
    }
    return finished;
}

}  // namespace

TEST_CASE("attach --comm on a hook that runs after the exec says it matches the new program's name", "[cli]")
{
    if (auto reason = expected_unsupported_reason("tp_btf")) {
        std::cout << "SKIPPED: tp_btf: " << *reason << "\n";
        return;
    }
    // /bin/true, exec'd by this test, is seen under the new program's name
    auto finished = attach_while_true_runs("tp_btf", {"--count", "1", "--json", "--comm", "true"});
    REQUIRE(finished);
    INFO("stderr: " << finished->err);
    CHECK(finished->err.find("probectl: info: tp_btf runs after the exec, when the task bears the new program's "
                             "name: --comm true matches execs of true, not execs made by it (a hook that runs "
                             "before the exec sees those)\n") != std::string::npos);
    auto lines = lines_of(finished->out);
    REQUIRE(lines.size() == 1);
    CHECK(nlohmann::json::parse(lines[0])["comm"] == "true");
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("attach names its program and link ids, and with --json ends with a JSON summary on stderr", "[cli]")
{
    auto finished = attach_while_true_runs("tracepoint", {"--count", "1", "--json", "--comm", own_comm()});
    REQUIRE(finished);
    INFO("stderr: " << finished->err);
    const auto lines = lines_of(finished->err);
    REQUIRE_FALSE(lines.empty());
    const auto summary = nlohmann::json::parse(lines.back());
    CHECK(summary["summary"] == "detached");
    CHECK(summary["hook"] == "tracepoint");
    CHECK(summary["shown"] == 1);
    CHECK(summary["emitted"] == 1);
    CHECK(summary["dropped"] == 0);
    REQUIRE(summary["program_id"].is_number());
    const std::string program =
        fmt::format("(program pctl_tracepoint, id {}; ", summary["program_id"].get<std::uint32_t>());
    CHECK(finished->err.find(program) != std::string::npos);
    if (summary["link_id"].is_number())  // a BPF link (5.15 and later for a perf event's program)
        CHECK(finished->err.find(fmt::format("; link id {}); Ctrl-C", summary["link_id"].get<std::uint32_t>())) !=
              std::string::npos);
    else
        CHECK(finished->err.find("; through a perf event, no BPF link); Ctrl-C") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("attach -- CMD sees the command and its descendants, until it ends; -q, --max-args, -x", "[cli]")
{
    auto traced = run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "-q", "--max-args", "1",
                       "--", "/bin/sh", "-c", "/bin/true a b; exit 3"},
                      60s);
    INFO("stderr: " << traced.err);
    CHECK(traced.exit_code == 0);
    const auto lines = lines_of(traced.out);
    REQUIRE(lines.size() == 3);  // the header, the shell, the shell's child: nothing of anyone else
    CHECK(lines[1].ends_with(" /bin/sh \"/bin/sh\" ..."));
    CHECK(lines[2].ends_with(" /bin/true \"/bin/true\" ..."));
    CHECK(traced.err.find("(the command ended, exit status 3): 2 events shown") != std::string::npos);

    // -x: only the exec that failed, as libc's execve returned it (-1, the errno aside)
    auto failed = run({probectl_binary(), "attach", "--type", "uretprobe", "execve", "-x", "--", "/bin/sh", "-c",
                       "/nonexistent/probectl-x 2>/dev/null; /bin/true"},
                      60s);
    INFO("stderr: " << failed.err);
    CHECK(failed.exit_code == 0);
    const auto failures = lines_of(failed.out);
    REQUIRE(failures.size() == 2);
    CHECK(failures[1].find(" sh ") != std::string::npos);
    CHECK(failures[1].find("     -1 ") != std::string::npos);
    auto refused = run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "-x"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err ==
          "probectl: error: -x shows the calls that failed, and tracepoint does not see the return "
          "value. Hint: use a hook that does: kretprobe, fexit or uretprobe (probectl list: RET)\n");
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("attach --cgroup sees the tasks of one cgroup v2 only; a directory that is none is refused", "[cli]")
{
    // cgroup v2, where it is mounted; else mounted here for the test (the VMs' init does not)
    std::string root = mount_point_of("cgroup2").value_or("");
    const bool mounted_here = root.empty();
    if (mounted_here) {
        root = "/tmp/pctl-cgroup2";
        std::filesystem::create_directories(root);
        REQUIRE(mount("none", root.c_str(), "cgroup2", 0, nullptr) == 0);
    }
    const std::string group = root + "/pctl-test-" + std::to_string(getpid());
    REQUIRE(std::filesystem::create_directory(group));
    // The shell joins the cgroup, then execs: its first exec (before) is not seen, the second is.
    auto result = run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "--cgroup", group, "--",
                       "/bin/sh", "-c", "echo $$ > " + group + "/cgroup.procs; exec /bin/true in-cgroup"},
                      60s);
    std::filesystem::remove(group);
    if (mounted_here)
        umount(root.c_str());
    INFO("stderr: " << result.err);
    CHECK(result.exit_code == 0);
    const auto lines = lines_of(result.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].ends_with(" /bin/true /bin/true in-cgroup"));

    auto refused = run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "--cgroup", "/etc"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.starts_with("probectl: error: --cgroup /etc: not a cgroup v2 directory. Hint: "));
    CHECK(programs_left_after(unload_grace()).empty());
}
