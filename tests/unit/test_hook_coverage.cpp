// Every place that must know each registered hook type, asked about each: a hook added to the
// registry and forgotten somewhere fails here, not silently in a report that lacks it.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "attach/registry.h"
#include "bench/micro.h"
#include "loader/text.h"
#include "tests/support/process.h"

using namespace probectl;

namespace {

// The cells of docs/hooks.md's table row for a hook ("| kprobe | `bprm_execve` ... |"); empty when
// the table has no row for it.
std::vector<std::string> hooks_md_row(std::string_view hook)
{
    std::ifstream file(test::test_data_dir() + "/../../docs/hooks.md");
    REQUIRE(file);
    const std::string start = fmt::format("| {} |", hook);
    for (std::string line; std::getline(file, line);) {
        if (!line.starts_with(start))
            continue;
        std::vector<std::string> cells;
        std::istringstream in(line.substr(1));
        for (std::string cell; std::getline(in, cell, '|');)
            cells.push_back(trim(cell));
        return cells;
    }
    return {};
}

}  // namespace

TEST_CASE("docs/hooks.md has a row for every registered hook type, with the phase it runs in", "[registry]")
{
    for (const auto &strategy : Registry::instance().all()) {
        const HookInfo &info = strategy->info();
        INFO(info.name);
        const auto cells = hooks_md_row(info.name);
        REQUIRE(cells.size() >= 3);  // hook | attach point for execve | runs | ...
        CHECK(cells[2] == phase_name(info.phase));
    }
}

TEST_CASE("probes/bench_micro.bpf.c has a benchmark program for every registered hook type", "[registry]")
{
    CHECK(bench::hooks_without_micro_program().empty());
}
