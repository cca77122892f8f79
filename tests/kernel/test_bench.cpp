// probectl bench --quick on the running kernel: every tier runs, and its counters balance. The
// figures themselves are not checked (timing belongs to benchmarks, not tests); what each program
// counted is. A hook may be missing only when this kernel lacks it, for the reason found
// independently (expected_hooks.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sys/utsname.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const json &bench_run()
{
    static const json result = [] {
        auto finished = test::run({probectl_binary(), "bench", "--quick", "--json"}, 300s);
        INFO("stderr: " << finished.err);
        REQUIRE(finished.exit_code == 0);
        if (const std::string dir = report_input_dir(); !dir.empty()) {  // for probectl report
            std::filesystem::create_directories(dir);
            std::ofstream(dir + "/bench.json") << finished.out;
        }
        return json::parse(finished.out);
    }();
    return result;
}

// Each row of a tier is measured, or names the reason this kernel lacks its hook.
bool measured_or_unsupported(const json &row)
{
    const std::string hook = row["hook"];
    INFO("hook " << hook << ": " << row.dump());
    if (auto reason = expected_unsupported_reason(hook)) {
        CHECK(row["not_measured"] == "not supported on this kernel: " + *reason);
        std::cout << "bench: " << hook << " not measured, as this kernel lacks it: " << *reason << "\n";
        return false;
    }
    CHECK_FALSE(row.contains("not_measured"));
    return !row.contains("not_measured");
}

}  // namespace

TEST_CASE("bench: the machine is recorded; a quick run says so and judges no goal", "[bench]")
{
    CHECK(bench_run()["quick"] == true);
    for (const auto &goal : bench_run()["goals"])
        CHECK((goal["status"] == "rough" || goal["status"] == "not measured"));
    const json &env = bench_run()["environment"];
    utsname name{};
    uname(&name);
    CHECK(env["kernel"] == name.release);
    CHECK(env["cores"].get<unsigned>() >= 1);
    CHECK_FALSE(env["cpu_model"].get<std::string>().empty());
    CHECK(env["mitigations"].is_object());
    CHECK(env["emulated"].is_boolean());
}

TEST_CASE("bench micro: every program counts exactly one hit per trigger", "[bench]")
{
    const json &tier = bench_run()["micro"];
    CHECK(tier["hooks"].size() == Registry::instance().all().size());  // a row for every registered hook
    CHECK(tier["cpu"].get<int>() >= 0);
    for (const auto &row : tier["hooks"]) {
        if (!measured_or_unsupported(row))
            continue;
        INFO(row.dump());
        CHECK(row["triggers"].get<std::uint64_t>() > 0);
        CHECK(row["hits"] == row["triggers"]);
        CHECK(row["ns_per_call"]["samples"].size() == 2);
        CHECK(row["added_ns"]["samples"].size() == 2);
    }
}

TEST_CASE("bench exec: one event per exec (none for uretprobe on a successful execve), nothing dropped", "[bench]")
{
    const json &tier = bench_run()["exec"];
    for (const auto &row : tier["hooks"]) {
        if (!measured_or_unsupported(row))
            continue;
        INFO(row.dump());
        const auto execs = row["execs"].get<std::uint64_t>();
        CHECK(execs > 0);
        // A return hook on a user-space function (uretprobe on libc's execve) fires only when execve
        // returns, i.e. fails: the bench's execs succeed. A hook on the exec path's functions sees each
        // exec at each of them (two at least); one on libc's exec wrappers at posix_spawn, which the
        // storm calls, and at execve in its child. Every other hook sees each exec once.
        const std::string hook = row["hook"];
        const Place place = expected_hook(hook).place;
        if (place == Place::exec_path)
            CHECK(row["expected_per_exec"] >= 2);
        else if (Registry::instance().find(hook)->info().target_kind == TargetKind::user_functions)
            CHECK(row["expected_per_exec"] == 2);
        else
            CHECK(row["expected_per_exec"] == (place == Place::user_return ? 0 : 1));
        CHECK(row["events"] == execs * row["expected_per_exec"].get<std::uint64_t>());
        CHECK(row["emitted"] == row["events"]);
        CHECK(row["dropped"] == 0);
    }
    const json &flood = tier["flood"];
    INFO(flood.dump());
    CHECK(flood["execs"].get<std::uint64_t>() > 0);
    CHECK(flood["events"].get<std::uint64_t>() + flood["dropped"].get<std::uint64_t>() ==
          flood["expected_events"].get<std::uint64_t>());
}

TEST_CASE("bench startup: each step timed for every hook here, and all of them together", "[bench]")
{
    const json &tier = bench_run()["startup"];
    size_t measured = 0;
    for (const auto &row : tier["hooks"]) {
        if (!measured_or_unsupported(row))
            continue;
        measured++;
        for (const char *step : {"open_ms", "load_ms", "attach_ms", "detach_ms"}) {
            INFO(step << ": " << row.dump());
            CHECK(row[step]["samples"].size() == 2);
            CHECK(row[step]["median"].get<double>() > 0);
        }
    }
    CHECK(tier["together"]["hooks"].size() == measured);
    CHECK(tier["btf_parse_ms"].get<double>() > 0);
}

TEST_CASE("bench startup: probectl attach and the libbpf floor each started once until their first exec",
          "[bench]")
{
    const json &tools = bench_run()["startup"]["first_event"];
    REQUIRE(tools.size() == 2);  // a quick run leaves bpftrace out
    CHECK(tools[0]["tool"] == "probectl");
    CHECK(tools[1]["tool"] == "floor");
    const auto reason = expected_unsupported_reason("tracepoint");
    for (const auto &tool : tools) {
        INFO(tool.dump());
        if (reason) {  // neither program sees an exec without the tracepoint hook
            CHECK(tool.contains("not_measured"));
            continue;
        }
        REQUIRE_FALSE(tool.contains("not_measured"));
        CHECK(tool["first_event_ms"]["samples"].size() == 1);
        CHECK(tool["first_event_ms"]["median"].get<double>() > 0);
        CHECK(tool["end_ms"]["median"].get<double>() >= tool["first_event_ms"]["median"].get<double>());
        CHECK(tool["peak_mib"]["median"].get<double>() > 1);
    }
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("bench pipeline: every event consumed; a stalled consumer's losses counted exactly", "[bench]")
{
    const json &tier = bench_run()["pipeline"];
    CHECK(tier["sinks"].size() == 3);  // null, ndjson, table
    for (const auto &sink : tier["sinks"]) {
        INFO(sink.dump());
        CHECK(sink["events"].get<std::uint64_t>() > 0);
        CHECK(sink["events"] == sink["produced"]);
    }
    const json &stall = tier["stall"];
    INFO(stall.dump());
    const auto produced = stall["produced"].get<std::uint64_t>();
    const auto consumed = stall["consumed"].get<std::uint64_t>();
    // Twice the buffer was written: some fit, the rest were refused and counted.
    CHECK(consumed > 0);
    CHECK(consumed < produced);
    CHECK(stall["dropped"] == produced - consumed);
    CHECK(bench_run()["inconsistencies"].empty());
    CHECK(programs_left_after(unload_grace()).empty());
    CHECK(programs_left_after(unload_grace(), "bench_").empty());
}
