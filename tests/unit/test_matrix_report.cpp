#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include <fstream>

#include "loader/text.h"
#include "tests/vm/matrix_report.h"

using namespace probectl::matrix;
namespace fs = std::filesystem;

namespace {

// A results folder as scripts/vm/kernel-tests.sh leaves it.
struct ResultsFolder {
    static inline int made = 0;  // a test may need two folders at once
    fs::path dir = fs::temp_directory_path() /
                   ("probectl-matrix-test-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
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
    // Each row's wall time, as kernel-tests.sh leaves it: hooks/<id>.seconds.
    void seconds(const std::string &id, int seconds) const
    {
        write("hooks/" + id + ".seconds", std::to_string(seconds) + "\n");
    }
};

size_t row_index(const std::string &id)
{
    for (size_t i = 0; i < rows().size(); i++)
        if (rows()[i].id == id)
            return i;
    FAIL("no row " << id);
    return 0;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

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
    CHECK(to_markdown({broken}).find("| kernel log / VM run | | kernel log: WARNING: CPU: 1") !=
          std::string::npos);
    CHECK(to_json({broken})["kernels"][0]["cells"]["fexit"]["result"] == "PASS");
}

TEST_CASE("each cell shows its row's wall time, each column its total", "[matrix]")
{
    ResultsFolder folder;
    folder.seconds("kprobe", 12);
    folder.seconds("lab", 85);
    auto column = read_column("bookworm", folder.dir.string(), true);
    CHECK(column.cells[row_index("kprobe")].seconds == 12);
    CHECK(column.cells[row_index("lab")].seconds == 85);
    CHECK(total_seconds(column) == 97);

    const std::string markdown = to_markdown({column});
    CHECK(contains(markdown, "| kprobe | 12 s | PASS 12 s |"));
    CHECK(contains(markdown, "| probectl lab check (every lab) | 90 s | PASS 85 s |"));
    CHECK(contains(markdown, "| total (wall time of the rows) | 625 s | 97 s |"));
    CHECK(contains(markdown, "| bookworm 6.1.0-56-amd64 |"));  // the exact version in the header
    const std::string text = to_text({column});
    CHECK(contains(text, "\nkprobe     PASS  12 s\n"));
    CHECK(contains(text, "\ntotal      97 s\n"));
    CHECK(contains(text, "bookworm  6.1.0-56-amd64"));

    const auto json = to_json({column});
    CHECK(json["kernels"][0]["cells"]["kprobe"]["seconds"] == 12);
    CHECK(json["kernels"][0]["cells"]["kprobe"]["budget_seconds"] == 12);
    CHECK(json["kernels"][0]["total_seconds"] == 97);
}

TEST_CASE("a row over its budget is flagged, does not fail the matrix, and is listed at the top", "[matrix]")
{
    ResultsFolder folder;
    folder.seconds("lab", 310);    // budget 90
    folder.seconds("crash", 120);  // budget 120: at the budget is within it
    folder.seconds("kprobe", 11);  // budget 12
    auto column = read_column("sid", folder.dir.string(), true);
    CHECK(over_budget(column, row_index("lab")));
    CHECK_FALSE(over_budget(column, row_index("crash")));
    CHECK_FALSE(over_budget(column, row_index("kprobe")));
    CHECK(passed({column}));

    const std::string markdown = to_markdown({column});
    CHECK(contains(markdown, "| PASS 310 s ⚠ over 90 s budget |"));
    CHECK(contains(markdown, "| PASS 120 s |"));
    CHECK(contains(markdown, "| PASS 11 s |"));
    // The over-budget line comes right after the title, before the table, and names only the lab.
    const auto line = markdown.find("**⚠ Over budget** (does not fail the matrix): lab on sid 6.1.0-56-amd64 "
                                    "(310 s, budget 90 s)\n");
    CHECK(line != std::string::npos);
    CHECK(line < markdown.find("| row |"));
    CHECK_FALSE(contains(markdown, "crash on sid"));

    const std::string text = to_text({column});
    CHECK(text.starts_with("OVER BUDGET (does not fail the matrix):\n  lab on sid 6.1.0-56-amd64 (310 s, budget "
                           "90 s)\nkernels"));
    CHECK(contains(text, "\nlab        PASS 310 s!\n"));
    CHECK(contains(text, "\ncrash      PASS 120 s\n"));
    for (const auto &text_line : probectl::split(text, '\n'))
        if (!text_line.starts_with("  "))  // the table and the headings; the details below may be long
            CHECK(text_line.size() <= 80);

    const auto json = to_json({column});
    CHECK(json["passed"] == true);
    CHECK(json["kernels"][0]["cells"]["lab"]["over_budget"] == true);
    CHECK(json["kernels"][0]["cells"]["crash"]["over_budget"] == false);
    CHECK(json["over_budget"].size() == 1);
    CHECK(json["over_budget"][0]["row"] == "lab");
}

TEST_CASE("a row without a .seconds file shows no time, and that is no error", "[matrix]")
{
    ResultsFolder folder;
    folder.seconds("kprobe", 12);
    folder.write("hooks/kretprobe.seconds", "not a number\n");
    auto column = read_column("bullseye", folder.dir.string(), true);
    CHECK_FALSE(column.cells[row_index("kretprobe")].seconds);
    CHECK_FALSE(column.cells[row_index("fentry")].seconds);
    CHECK_FALSE(over_budget(column, row_index("fentry")));
    CHECK(passed({column}));
    CHECK(total_seconds(column) == 12);
    CHECK(contains(to_markdown({column}), "| fentry | 12 s | PASS |"));
    CHECK(contains(to_text({column}), "\nfentry     PASS\n"));
    CHECK(to_json({column})["kernels"][0]["cells"]["fentry"]["seconds"].is_null());

    ResultsFolder untimed;  // kernel-tests.sh from before .seconds
    auto old = read_column("bullseye", untimed.dir.string(), true);
    CHECK_FALSE(total_seconds(old));
    CHECK(contains(to_markdown({old}), "| total (wall time of the rows) | 625 s | no times |"));
}

TEST_CASE("a kernel new since the last green run is named at the top of the report", "[matrix]")
{
    ResultsFolder folder;
    folder.write("kernel-version", "6.1.0-57-amd64\n");
    const auto bookworm = read_column("bookworm", folder.dir.string(), true);
    const auto trixie = read_column("trixie", folder.dir.string(), true);
    const auto host = read_column("host", folder.dir.string(), false);
    History history;
    history.last_green = parse_kernel_list("# last green\n\nbullseye 5.10.0-46-amd64\nbookworm 6.1.0-56-amd64\n");
    history.last_green_file = "tests/vm/kernels-last-green.txt";

    const auto changed = new_kernels({host, bookworm, trixie}, *history.last_green);
    REQUIRE(changed.size() == 2);  // not the host: its kernel is this machine's
    CHECK(changed[0].label == "bookworm");
    CHECK(changed[0].last_green == "6.1.0-56-amd64");
    CHECK(changed[1].label == "trixie");
    CHECK_FALSE(changed[1].last_green);

    const std::string markdown = to_markdown({host, bookworm, trixie}, history);
    CHECK(markdown.starts_with("# probectl kernel matrix\n\n**New kernel since the last green run:** bookworm "
                               "6.1.0-57-amd64 (last green: 6.1.0-56-amd64)\n\n**New kernel since the last green "
                               "run:** trixie 6.1.0-57-amd64 (no last green run on trixie)\n"));
    const std::string text = to_text({host, bookworm, trixie}, history);
    CHECK(text.starts_with("NEW KERNEL since the last green run: bookworm 6.1.0-57-amd64 (last green: "
                           "6.1.0-56-amd64)\n"));
    const auto json = to_json({host, bookworm, trixie}, history);
    CHECK(json["new_kernels"].size() == 2);
    CHECK(json["new_kernels"][0]["last_green"] == "6.1.0-56-amd64");
    CHECK(json["new_kernels"][1]["last_green"].is_null());
}

TEST_CASE("a kernel as in the last green run is not named; the run's own list is written", "[matrix]")
{
    ResultsFolder folder;
    const auto bookworm = read_column("bookworm", folder.dir.string(), true);
    const auto host = read_column("host", folder.dir.string(), false);
    History history;
    history.last_green = parse_kernel_list("bookworm   6.1.0-56-amd64  \nsid 7.2.13-amd64\n");
    history.last_green_file = "tests/vm/kernels-last-green.txt";
    history.kernels_file = "build/probectl-matrix-kernels.txt";
    CHECK(new_kernels({host, bookworm}, *history.last_green).empty());

    const std::string markdown = to_markdown({host, bookworm}, history);
    CHECK_FALSE(contains(markdown, "New kernel"));
    CHECK(markdown.starts_with("# probectl kernel matrix\n\nEach row's"));
    CHECK(contains(markdown, "copy it over tests/vm/kernels-last-green.txt"));
    CHECK_FALSE(contains(to_text({host, bookworm}, history), "NEW KERNEL"));
    CHECK(to_json({host, bookworm}, history)["new_kernels"].empty());
    CHECK(to_json({host, bookworm})["new_kernels"].is_null());  // not compared

    // build/probectl-matrix-kernels.txt: what a green run's developer copies over the last green list.
    const std::string list = kernel_list_text({host, bookworm});
    CHECK(contains(list, "\nbookworm 6.1.0-56-amd64\n"));
    CHECK_FALSE(contains(list, "\nhost "));
    CHECK(contains(list, "This run PASSED"));
    CHECK(parse_kernel_list(list) == KernelList{{"bookworm", "6.1.0-56-amd64"}});
}
