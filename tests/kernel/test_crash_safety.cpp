// Crash safety: probectl killed with SIGKILL at many points (opening, loading, attaching,
// streaming, in the middle of compare's workload) leaves no program, link or tracefs probe event
// behind, because every attachment is an fd-based link or perf event the kernel drops with the
// process. SIGTERM, like Ctrl-C, drains, detaches, prints the summary and exits 0.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <set>
#include <thread>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "loader/kernel_facts.h"
#include "loader/text.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using namespace std::chrono_literals;

namespace {

// Lines of tracefs' kprobe_events and uprobe_events that libbpf made (its legacy, non-PMU path
// names them libbpf_<pid>_...): none may outlive the process that made them.
std::vector<std::string> tracefs_probe_events()
{
    std::vector<std::string> left;
    const auto tracefs = tracefs_mount();
    if (!tracefs)
        return left;
    for (const char *file : {"/kprobe_events", "/uprobe_events"})
        for (const auto &line : split(read_text_file(*tracefs + file), '\n'))
            if (line.find("libbpf_") != std::string::npos || line.find("pctl") != std::string::npos)
                left.push_back(line);
    return left;
}

// Starts argv, kills it after `delay` (0: at once), and reaps it.
void kill_after(const std::vector<std::string> &argv, std::chrono::milliseconds delay)
{
    Background run(argv);
    std::this_thread::sleep_for(delay);
    run.signal(SIGKILL);
    REQUIRE(run.wait(20s));
}

// How long `probectl attach --type HOOK execve` takes to say "attached" here; the run is then killed.
std::chrono::milliseconds time_to_attach(const std::string &hook)
{
    const auto start = std::chrono::steady_clock::now();
    Background run({probectl_binary(), "attach", "--type", hook, "execve"});
    REQUIRE(run.wait_for_stderr("attached " + hook, 30s));
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    run.signal(SIGKILL);
    REQUIRE(run.wait(20s));
    return took;
}

// Execs while a probe streams, so that a kill can land while events are in flight.
void exec_storm(std::chrono::milliseconds length)
{
    const auto until = std::chrono::steady_clock::now() + length;
    while (std::chrono::steady_clock::now() < until)
        test::run({"/bin/true"});
}

}  // namespace

TEST_CASE("SIGKILL at any point of attach leaves nothing loaded and no probe event", "[crash]")
{
    REQUIRE(programs_left_after(unload_grace()).empty());
    const auto events_before = tracefs_probe_events();
    // Kills from "not yet started" over opening, loading and attaching, at shares of the time this
    // hook takes to attach here, measured first by a run killed once attached (the last point): tens
    // of ms natively, seconds under emulation, so on every machine the kills land in the same steps.
    // Then one while events stream.
    // Under emulation, where that time is about a second and each kill a slow exec, four of the
    // thirteen shares, still from the start to the end of attaching.
    const std::vector<int> per_mille =
        emulated() ? std::vector<int>{0, 50, 357, 786}
                   : std::vector<int>{0, 3, 7, 14, 29, 50, 71, 107, 143, 214, 357, 571, 786};
    // What a kill can leave behind depends on how a hook is attached (a perf event, a legacy tracefs
    // event, a BPF link, a trampoline), not on what its program reads: the sweep of kill points runs
    // for the first hook of each mechanism here. Every hook is killed while streaming natively; under
    // emulation (seconds a hook) the first of each mechanism.
    int points = 0;
    std::set<Mechanism> swept;
    for (const auto &strategy : Registry::instance().all()) {  // every registered hook type
        const std::string hook(strategy->info().name);
        if (expected_unsupported_reason(hook))
            continue;
        const bool sweep = swept.insert(strategy->info().mechanism).second;
        const auto to_attach = sweep ? time_to_attach(hook) : std::chrono::milliseconds(0);
        points += sweep;
        for (const int share : sweep ? per_mille : std::vector<int>{}) {
            const auto delay = to_attach * share / 1000;
            INFO(hook << " killed after " << delay.count() << " ms of the " << to_attach.count()
                      << " it takes to attach");
            kill_after({probectl_binary(), "attach", "--type", hook, "execve"}, delay);
            points++;
        }
        if (!sweep && emulated())
            continue;
        // Killed while streaming under a flood of execs.
        Background run({probectl_binary(), "attach", "--type", hook, "execve", "--json"});
        REQUIRE(run.wait_for_stderr("attached " + hook, 30s));
        std::thread storm(exec_storm, 300ms);
        std::this_thread::sleep_for(150ms);
        run.signal(SIGKILL);
        storm.join();
        REQUIRE(run.wait(20s));
        points++;
        INFO(hook);
        CHECK(programs_left_after(unload_grace()).empty());
    }
    CHECK(tracefs_probe_events() == events_before);
    std::cout << "crash safety: attach killed at " << points
              << " points; programs left: " << programs_left_after(unload_grace()).size() << "\n";
}

TEST_CASE("SIGKILL during compare's workload leaves nothing loaded", "[crash]")
{
    int points = 0;
    for (const auto delay : {0ms, 50ms, 150ms, 300ms, 600ms, 1000ms, 1500ms, 2500ms}) {
        INFO("compare killed after " << delay.count() << " ms");
        kill_after({probectl_binary(), "compare"}, scaled(delay));
        points++;
    }
    CHECK(programs_left_after(unload_grace()).empty());
    CHECK(tracefs_probe_events().empty());
    std::cout << "crash safety: compare killed at " << points
              << " points; programs left: " << programs_left_after(unload_grace()).size() << "\n";
}

TEST_CASE("SIGTERM drains, detaches, prints the summary and exits 0", "[crash]")
{
    if (auto reason = expected_unsupported_reason("tracepoint")) {
        std::cout << "SKIPPED: " << *reason << "\n";
        return;
    }
    Background run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "--json"});
    REQUIRE(run.wait_for_stderr("attached tracepoint", 30s));
    test::run({"/bin/true"});
    run.signal(SIGTERM);
    auto finished = run.wait(20s);
    REQUIRE(finished);
    CHECK(finished->exit_code == 0);
    CHECK(finished->err.find("detached tracepoint from syscalls:sys_enter_execve (SIGTERM)") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}
