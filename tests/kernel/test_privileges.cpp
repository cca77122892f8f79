// Privileges: without root probectl names what it needs and exits 8, loading nothing; with only
// CAP_BPF + CAP_PERFMON (root's other capabilities dropped by setpriv) it works where the kernel
// allows, and where it does not it names the capability it lacks, not a kernel limitation.
#include <catch2/catch.hpp>

#include <iostream>
#include <thread>

#include "loader/bpf_inventory.h"
#include "tests/kernel/expected_support.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kOnlyBpfAndPerfmon{"setpriv", "--bounding-set=-all,+bpf,+perfmon",
                                                  "--inh-caps=-all"};

std::vector<std::string> with(std::vector<std::string> prefix, const std::vector<std::string> &command)
{
    prefix.insert(prefix.end(), command.begin(), command.end());
    return prefix;
}

}  // namespace

TEST_CASE("privileges: an unprivileged user gets exit 8 and what is needed, and nothing loads", "[privileges]")
{
    auto finished = test::run(with({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"},
                                   {probectl_binary(), "attach", "--type", "tracepoint", "execve"}));
    CHECK(finished.exit_code == 8);
    CHECK(finished.err.find("loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)") !=
          std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("privileges: with only CAP_BPF and CAP_PERFMON a tracepoint works", "[privileges]")
{
    if (auto reason = expected_unsupported_reason("tracepoint")) {
        std::cout << "SKIPPED: " << *reason << "\n";
        return;
    }
    Background run(with(kOnlyBpfAndPerfmon, {probectl_binary(), "attach", "--type", "tracepoint", "execve",
                                             "--count", "1", "--json", "--comm", "probectl_kernel"}));  // the caller, before exec
    REQUIRE(run.wait_for_stderr("attached tracepoint", 30s));
    test::run({"/bin/true"});
    auto finished = run.wait(20s);
    REQUIRE(finished);
    CHECK(finished->exit_code == 0);
    CHECK(finished->out.find("\"filename\":\"/bin/true\"") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("privileges: a uprobe refused for want of CAP_SYS_ADMIN says so, with exit 8", "[privileges]")
{
    if (auto reason = expected_unsupported_reason("uprobe")) {
        std::cout << "SKIPPED: " << *reason << "\n";
        return;
    }
    auto finished = test::run(with(kOnlyBpfAndPerfmon, {probectl_binary(), "attach", "--type", "uprobe", "execve",
                                                        "--duration", "1"}));
    INFO(finished.err);
    if (finished.exit_code == 0) {
        std::cout << "privileges: this kernel lets CAP_BPF + CAP_PERFMON attach uprobes\n";
    } else {
        CHECK(finished.exit_code == 8);
        CHECK(finished.err.find("uprobe cannot be used with these privileges: attaching a uprobe needs "
                                "CAP_SYS_ADMIN here") != std::string::npos);
    }
    CHECK(programs_left_after(unload_grace()).empty());
}
