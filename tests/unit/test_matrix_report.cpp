#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include <fstream>

#include "tests/vm/matrix_report.h"

using namespace probectl::matrix;
namespace fs = std::filesystem;

namespace {

// A results folder as scripts/vm/kernel-tests.sh leaves it.
struct ResultsFolder {
    fs::path dir = fs::temp_directory_path() / ("probectl-matrix-test-" + std::to_string(::getpid()));
    ResultsFolder()
    {
        fs::create_directories(dir / "hooks");
        write("kernel-version", "6.1.0-56-amd64\n");
        for (const auto &row : rows())
            hook(row.id, 0, "All tests passed (40 assertions in 1 test case)\n");
    }
    ~ResultsFolder() { fs::remove_all(dir); }
    void write(const std::string &name, const std::string &text) const { std::ofstream(dir / name) << text; }
    void hook(const std::string &id, int status, const std::string &out) const
    {
        write("hooks/" + id + ".status", std::to_string(status) + "\n");
        write("hooks/" + id + ".out", out);
    }
};

const char *kCatchFailure = R"(-------------------------------------------------------------------------------
fexit captures execs
  a failing exec (ENOENT)
-------------------------------------------------------------------------------
/work/main/tests/kernel/test_hooks.cpp:164: FAILED:
  CHECK( *event.retval == *ret )
with expansion:
  4294967294 (0xfffffffe) == -2

===============================================================================
)";

}  // namespace

TEST_CASE("the first failed assertion becomes the cell's one-line error", "[matrix]")
{
    CHECK(first_error(kCatchFailure) ==
          "CHECK( *event.retval == *ret ) with expansion: 4294967294 (0xfffffffe) == -2");
    CHECK(first_error("Segmentation fault\n") ==
          "the test run failed without a Catch2 assertion (crash or timeout?)");
}

TEST_CASE("cells: PASS, FAIL with the error, unsupported with the reason", "[matrix]")
{
    ResultsFolder folder;
    folder.hook("fexit", 1, kCatchFailure);
    folder.hook("kprobe", 0, "SKIPPED: kprobe: kernel built without CONFIG_KPROBES\n");
    fs::remove(folder.dir / "hooks/uprobe.status");
    auto column = read_column("bookworm", folder.dir.string(), true);
    CHECK(column.version == "6.1.0-56-amd64");
    CHECK(column.cells[0].result == Cell::Result::unsupported);  // kprobe
    CHECK(column.cells[0].detail == "kernel built without CONFIG_KPROBES");
    CHECK(column.cells[3].result == Cell::Result::fail);  // fexit
    CHECK(column.cells[3].detail.find("4294967294") != std::string::npos);
    CHECK(column.cells[4].result == Cell::Result::pass);  // tracepoint
    CHECK(column.cells[7].result == Cell::Result::fail);  // uprobe: no status
    CHECK(column.cells[7].detail == "did not run");
    CHECK_FALSE(passed({column}));
}

TEST_CASE("a VM kernel must pass everything, the host may lack hooks", "[matrix]")
{
    ResultsFolder folder;
    folder.hook("fentry", 0,
                "SKIPPED: fentry: loading a tracing program is not permitted on this kernel (EPERM)\n");
    CHECK(passed({read_column("host", folder.dir.string(), false)}));
    CHECK_FALSE(passed({read_column("sid", folder.dir.string(), true)}));

    folder.hook("fentry", 0, "All tests passed\n");
    CHECK(passed({read_column("sid", folder.dir.string(), true)}));
    folder.write("run-error", "kernel log: WARNING: CPU: 1 PID: 77 at kernel/bpf/trampoline.c:123\n");
    auto broken = read_column("sid", folder.dir.string(), true);
    CHECK_FALSE(passed({broken}));
    CHECK(to_markdown({broken}).find("| kernel log / VM run | kernel log: WARNING: CPU: 1") != std::string::npos);
    CHECK(to_json({broken})["kernels"][0]["cells"]["fexit"]["result"] == "PASS");
}
