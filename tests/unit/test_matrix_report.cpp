#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include <fstream>

#include "loader/text.h"
#include "tests/support/contains.h"
#include "tests/vm/matrix_report.h"

using namespace probectl::matrix;
using probectl::test::contains;
namespace fs = std::filesystem;

namespace {

// The hook types a run lists today, in the registry's order.
const std::vector<std::string> kHooks{"kprobe", "kretprobe", "fentry", "fexit",     "tracepoint",
                                      "tp_btf", "raw_tp",    "uprobe", "uretprobe", "ksyscall"};
constexpr const char *kPassed = "All tests passed (40 assertions in 1 test case)\n";

// A results folder as scripts/vm/kernel-tests.sh leaves it: every row passed.
struct ResultsFolder {
    static inline int made = 0;  // a test may need two folders at once
    fs::path dir = fs::temp_directory_path() /
                   ("probectl-matrix-test-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
    ResultsFolder()
    {
        fs::create_directories(dir / "hooks");
        write("kernel-version", "6.1.0-56-amd64\n");
        hook_rows(kHooks);
        for (const auto &row : suite_rows())
            hook(row.id, 0, kPassed);
    }
    ~ResultsFolder() { fs::remove_all(dir); }
    void write(const std::string &name, const std::string &text) const { std::ofstream(dir / name) << text; }
    void hook(const std::string &id, int status, const std::string &out) const
    {
        write("hooks/" + id + ".status", std::to_string(status) + "\n");
        write("hooks/" + id + ".out", out);
    }
    // The hook types the run listed (hooks/hook-rows), each passed.
    void hook_rows(const std::vector<std::string> &hooks) const
    {
        std::string list;
        for (const auto &id : hooks) {
            list += id + "\n";
            hook(id, 0, kPassed);
        }
        write("hooks/hook-rows", list);
    }
    // Each row's wall time, as kernel-tests.sh leaves it: hooks/<id>.seconds.
    void seconds(const std::string &id, int seconds) const
    {
        write("hooks/" + id + ".seconds", std::to_string(seconds) + "\n");
    }
};

ColumnFolder column(const std::string &label, const ResultsFolder &folder, bool must_pass = true)
{
    return {label, folder.dir.string(), must_pass};
}

size_t row_index(const Matrix &matrix, const std::string &id)
{
    for (size_t i = 0; i < matrix.rows.size(); i++)
        if (matrix.rows[i].id == id)
            return i;
    FAIL("no row " << id);
    return 0;
}

// The cell of row `id` in the matrix's column `k`.
const Cell &cell(const Matrix &matrix, const std::string &id, size_t k = 0)
{
    return matrix.columns.at(k).cells.at(row_index(matrix, id));
}

bool over_budget(const Matrix &matrix, const std::string &id)
{
    return over_budget(cell(matrix, id), matrix.rows[row_index(matrix, id)]);
}

std::vector<std::string> row_ids(const Matrix &matrix)
{
    std::vector<std::string> out;
    for (const auto &row : matrix.rows)
        out.push_back(row.id);
    return out;
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
    const auto matrix = read_matrix({column("bookworm", folder)});
    CHECK(matrix.columns[0].version == "6.1.0-56-amd64");
    CHECK(cell(matrix, "kprobe").result == Cell::Result::unsupported);
    CHECK(cell(matrix, "kprobe").detail == "kernel built without CONFIG_KPROBES");
    CHECK(cell(matrix, "fexit").result == Cell::Result::fail);
    CHECK(contains(cell(matrix, "fexit").detail, "4294967294"));
    CHECK(cell(matrix, "tracepoint").result == Cell::Result::pass);
    CHECK(cell(matrix, "uprobe").result == Cell::Result::fail);  // listed, but no status
    CHECK(cell(matrix, "uprobe").detail == "did not run");
    CHECK_FALSE(passed(matrix));
}

TEST_CASE("the rows: the hook types in the runs' order, each with the hook budget, then the suite", "[matrix]")
{
    ResultsFolder folder;
    const auto matrix = read_matrix({column("bookworm", folder)});
    std::vector<std::string> expected = kHooks;
    for (const auto &row : suite_rows())
        expected.push_back(row.id);
    CHECK(row_ids(matrix) == expected);
    CHECK(matrix.rows[0].budget_seconds == 12);
    CHECK(matrix.rows[0].title == "kprobe");
    CHECK(matrix.rows.back().id == "lockdown");  // it raises the VM's lockdown: last
    CHECK(matrix.columns[0].cells.size() == matrix.rows.size());
    CHECK(passed(matrix));
}

TEST_CASE("a hook type named only in a column's hook-rows gets its own row, with that column's result", "[matrix]")
{
    ResultsFolder multi;  // a build that registered kprobe.multi
    std::vector<std::string> hooks = kHooks;
    hooks.insert(hooks.begin() + 1, "kprobe.multi");
    multi.hook_rows(hooks);
    multi.hook("kprobe.multi", 0, "SKIPPED: kprobe.multi: kernel built without fprobe\n");
    multi.seconds("kprobe.multi", 7);
    const auto matrix = read_matrix({column("host", multi, false)});
    REQUIRE(row_index(matrix, "kprobe.multi") == 1);  // where the registry lists it
    const Row &row = matrix.rows[1];
    CHECK(row.title == "kprobe.multi");
    CHECK(row.budget_seconds == 12);
    CHECK(cell(matrix, "kprobe.multi").result == Cell::Result::unsupported);
    CHECK(cell(matrix, "kprobe.multi").detail == "kernel built without fprobe");
    CHECK(cell(matrix, "kprobe.multi").seconds == 7);
    CHECK(passed(matrix));  // the host may lack a hook

    CHECK(contains(to_markdown(matrix), "| kprobe.multi | 12 s | unsupported 7 s: kernel built without fprobe |"));
    CHECK(contains(to_markdown(matrix), "| total (wall time of the rows) | 637 s |"));
    CHECK(contains(to_text(matrix), "\nkprobe.multi unsup  7 s\n"));
    const auto json = to_json(matrix);
    CHECK(json["kernels"][0]["cells"]["kprobe.multi"]["result"] == "unsupported");
    CHECK(json["kernels"][0]["cells"]["kprobe.multi"]["budget_seconds"] == 12);

    // Two runs that list the hooks in different orders: each hook once, first seen first.
    ResultsFolder other;
    other.hook_rows({"fentry", "kprobe", "tp_btf"});
    const auto both = read_matrix({column("a", other), column("b", multi)});
    const auto ids = row_ids(both);
    CHECK(std::vector<std::string>(ids.begin(), ids.begin() + 5) ==
          std::vector<std::string>{"fentry", "kprobe", "tp_btf", "kprobe.multi", "kretprobe"});
    CHECK(ids.size() == hooks.size() + suite_rows().size());
}

TEST_CASE("a hook type one run listed and a VM kernel's run did not fails on that kernel", "[matrix]")
{
    ResultsFolder listed;
    std::vector<std::string> hooks = kHooks;
    hooks.push_back("kprobe.multi");
    listed.hook_rows(hooks);
    ResultsFolder forgot;  // the ten hooks only
    const auto matrix = read_matrix({column("host", listed, false), column("bookworm", forgot)});
    const Cell &missing = cell(matrix, "kprobe.multi", 1);
    CHECK(missing.result == Cell::Result::fail);
    CHECK(missing.detail == "not among this run's hook types (hooks/hook-rows)");
    CHECK(cell(matrix, "kprobe.multi", 0).result == Cell::Result::pass);
    CHECK(cell(matrix, "kprobe", 1).result == Cell::Result::pass);
    CHECK_FALSE(passed(matrix));
    CHECK(contains(to_text(matrix), "  kprobe.multi on bookworm 6.1.0-56-amd64: FAIL: not among this run's hook"));
    CHECK(to_json(matrix)["kernels"][1]["cells"]["kprobe.multi"]["result"] == "FAIL");
}

TEST_CASE("a kernel that did not run adds no row, its cells did not run", "[matrix]")
{
    ResultsFolder ran;
    const std::string missing = (fs::temp_directory_path() / "probectl-matrix-test-no-such-folder").string();
    const auto matrix = read_matrix({column("bookworm", ran), {"sid", missing, true}});
    CHECK(matrix.rows.size() == kHooks.size() + suite_rows().size());
    CHECK(matrix.columns[1].version == "unknown kernel");
    CHECK(cell(matrix, "kprobe", 1).detail == "did not run");
    CHECK(cell(matrix, "lockdown", 1).detail == "did not run");
    CHECK_FALSE(passed(matrix));
}

TEST_CASE("a run that could not list its hook types fails as a run, and names why", "[matrix]")
{
    ResultsFolder listed;
    ResultsFolder unlisted;  // kernel-tests.sh's row `hooks`, FAIL, and no hook-rows
    for (const auto &hook : kHooks)
        fs::remove(unlisted.dir / ("hooks/" + hook + ".status"));
    fs::remove(unlisted.dir / "hooks/hook-rows");
    unlisted.hook("hooks", 1,
                  "kernel-tests.sh: build/probectl list --json failed:\nprobectl: error while loading shared "
                  "libraries\n");
    const std::string why =
        "kernel-tests.sh: build/probectl list --json failed: probectl: error while loading shared libraries";

    const auto matrix = read_matrix({column("bookworm", listed), column("sid", unlisted)});
    CHECK(matrix.columns[1].run_error == why);
    CHECK(cell(matrix, "kprobe", 1).detail == "did not run: " + why);
    CHECK(cell(matrix, "cli", 1).result == Cell::Result::pass);
    CHECK_FALSE(passed(matrix));

    // Alone it has no hook row at all, and still fails, saying why.
    const auto alone = read_matrix({column("sid", unlisted)});
    CHECK(alone.rows.size() == suite_rows().size());
    CHECK_FALSE(passed(alone));
    CHECK(contains(to_text(alone), "sid 6.1.0-56-amd64: " + why));
    CHECK(to_json(alone)["kernels"][0]["run_error"] == why);

    // Folders from before hooks/hook-rows: no hook row, nothing said, and no hook tested: not a pass.
    fs::remove(unlisted.dir / "hooks/hooks.status");
    CHECK_FALSE(passed(read_matrix({column("sid", unlisted)})));
}

TEST_CASE("a kernel passes with the skips its tests asserted, and fails on any failure", "[matrix]")
{
    ResultsFolder folder;
    folder.hook("fentry", 0,
                "SKIPPED: fentry: loading a tracing program is not permitted on this kernel (EPERM)\n");
    CHECK(passed(read_matrix({column("host", folder, false)})));
    const auto skipped = read_matrix({column("bullseye", folder)});
    CHECK(passed(skipped));  // the hook test skips only for the reason it found itself
    CHECK(contains(to_markdown(skipped), "unsupported: loading a tracing program is not permitted"));
    folder.hook("fentry", 1, "FAILED:\n  probectl reports fentry unsupported on a kernel that has it\n");
    CHECK_FALSE(passed(read_matrix({column("bullseye", folder)})));

    folder.hook("fentry", 0, "All tests passed\n");
    CHECK(passed(read_matrix({column("sid", folder)})));
    folder.write("run-error", "kernel log: WARNING: CPU: 1 PID: 77 at kernel/bpf/trampoline.c:123\n");
    const auto broken = read_matrix({column("sid", folder)});
    CHECK_FALSE(passed(broken));
    CHECK(contains(to_markdown(broken), "| kernel log / VM run | | kernel log: WARNING: CPU: 1"));
    CHECK(to_json(broken)["kernels"][0]["cells"]["fexit"]["result"] == "PASS");
}

TEST_CASE("each cell shows its row's wall time, each column its total", "[matrix]")
{
    ResultsFolder folder;
    folder.seconds("kprobe", 12);
    folder.seconds("lab", 85);
    const auto matrix = read_matrix({column("bookworm", folder)});
    CHECK(cell(matrix, "kprobe").seconds == 12);
    CHECK(cell(matrix, "lab").seconds == 85);
    CHECK(total_seconds(matrix.columns[0]) == 97);

    const std::string markdown = to_markdown(matrix);
    CHECK(contains(markdown, "| kprobe | 12 s | PASS 12 s |"));
    CHECK(contains(markdown, "| probectl lab check (every lab) | 90 s | PASS 85 s |"));
    CHECK(contains(markdown, "| total (wall time of the rows) | 625 s | 97 s |"));
    CHECK(contains(markdown, "| bookworm 6.1.0-56-amd64 |"));  // the exact version in the header
    const std::string text = to_text(matrix);
    CHECK(contains(text, "\nkprobe     PASS  12 s\n"));
    CHECK(contains(text, "\ntotal      97 s\n"));
    CHECK(contains(text, "bookworm  6.1.0-56-amd64"));

    const auto json = to_json(matrix);
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
    const auto matrix = read_matrix({column("sid", folder)});
    CHECK(over_budget(matrix, "lab"));
    CHECK_FALSE(over_budget(matrix, "crash"));
    CHECK_FALSE(over_budget(matrix, "kprobe"));
    CHECK(passed(matrix));

    const std::string markdown = to_markdown(matrix);
    CHECK(contains(markdown, "| PASS 310 s ⚠ over 90 s budget |"));
    CHECK(contains(markdown, "| PASS 120 s |"));
    CHECK(contains(markdown, "| PASS 11 s |"));
    // The over-budget line comes right after the title, before the table, and names only the lab.
    const auto line = markdown.find("**⚠ Over budget** (does not fail the matrix): lab on sid 6.1.0-56-amd64 "
                                    "(310 s, budget 90 s)\n");
    CHECK(line != std::string::npos);
    CHECK(line < markdown.find("| row |"));
    CHECK_FALSE(contains(markdown, "crash on sid"));

    const std::string text = to_text(matrix);
    CHECK(text.starts_with("OVER BUDGET (does not fail the matrix):\n  lab on sid 6.1.0-56-amd64 (310 s, budget "
                           "90 s)\nkernels"));
    CHECK(contains(text, "\nlab        PASS 310 s!\n"));
    CHECK(contains(text, "\ncrash      PASS 120 s\n"));
    for (const auto &text_line : probectl::split(text, '\n'))
        if (!text_line.starts_with("  "))  // the table and the headings; the details below may be long
            CHECK(text_line.size() <= 80);

    const auto json = to_json(matrix);
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
    const auto matrix = read_matrix({column("bullseye", folder)});
    CHECK_FALSE(cell(matrix, "kretprobe").seconds);
    CHECK_FALSE(cell(matrix, "fentry").seconds);
    CHECK_FALSE(over_budget(matrix, "fentry"));
    CHECK(passed(matrix));
    CHECK(total_seconds(matrix.columns[0]) == 12);
    CHECK(contains(to_markdown(matrix), "| fentry | 12 s | PASS |"));
    CHECK(contains(to_text(matrix), "\nfentry     PASS\n"));
    CHECK(to_json(matrix)["kernels"][0]["cells"]["fentry"]["seconds"].is_null());

    ResultsFolder untimed;  // kernel-tests.sh from before .seconds
    const auto old = read_matrix({column("bullseye", untimed)});
    CHECK_FALSE(total_seconds(old.columns[0]));
    CHECK(contains(to_markdown(old), "| total (wall time of the rows) | 625 s | no times |"));
}

TEST_CASE("a kernel new since the last green run is named at the top of the report", "[matrix]")
{
    ResultsFolder folder;
    folder.write("kernel-version", "6.1.0-57-amd64\n");
    const auto matrix =
        read_matrix({column("host", folder, false), column("bookworm", folder), column("trixie", folder)});
    History history;
    history.last_green = parse_kernel_list("# last green\n\nbullseye 5.10.0-46-amd64\nbookworm 6.1.0-56-amd64\n");
    history.last_green_file = "tests/vm/kernels-last-green.txt";

    const auto changed = new_kernels(matrix.columns, *history.last_green);
    REQUIRE(changed.size() == 2);  // not the host: its kernel is this machine's
    CHECK(changed[0].label == "bookworm");
    CHECK(changed[0].last_green == "6.1.0-56-amd64");
    CHECK(changed[1].label == "trixie");
    CHECK_FALSE(changed[1].last_green);

    const std::string markdown = to_markdown(matrix, history);
    CHECK(markdown.starts_with("# probectl kernel matrix\n\n**New kernel since the last green run:** bookworm "
                               "6.1.0-57-amd64 (last green: 6.1.0-56-amd64)\n\n**New kernel since the last green "
                               "run:** trixie 6.1.0-57-amd64 (no last green run on trixie)\n"));
    const std::string text = to_text(matrix, history);
    CHECK(text.starts_with("NEW KERNEL since the last green run: bookworm 6.1.0-57-amd64 (last green: "
                           "6.1.0-56-amd64)\n"));
    const auto json = to_json(matrix, history);
    CHECK(json["new_kernels"].size() == 2);
    CHECK(json["new_kernels"][0]["last_green"] == "6.1.0-56-amd64");
    CHECK(json["new_kernels"][1]["last_green"].is_null());
}

TEST_CASE("a kernel as in the last green run is not named, the run's own list is written", "[matrix]")
{
    ResultsFolder folder;
    const auto matrix = read_matrix({column("host", folder, false), column("bookworm", folder)});
    History history;
    history.last_green = parse_kernel_list("bookworm   6.1.0-56-amd64  \nsid 7.2.13-amd64\n");
    history.last_green_file = "tests/vm/kernels-last-green.txt";
    history.kernels_file = "build/probectl-matrix-kernels.txt";
    CHECK(new_kernels(matrix.columns, *history.last_green).empty());

    const std::string markdown = to_markdown(matrix, history);
    CHECK_FALSE(contains(markdown, "New kernel"));
    CHECK(markdown.starts_with("# probectl kernel matrix\n\nEach row's"));
    CHECK(contains(markdown, "copy it over tests/vm/kernels-last-green.txt"));
    CHECK_FALSE(contains(to_text(matrix, history), "NEW KERNEL"));
    CHECK(to_json(matrix, history)["new_kernels"].empty());
    CHECK(to_json(matrix)["new_kernels"].is_null());  // not compared

    // build/probectl-matrix-kernels.txt: what a green run's developer copies over the last green list.
    const std::string list = kernel_list_text(matrix);
    CHECK(contains(list, "\nbookworm 6.1.0-56-amd64\n"));
    CHECK_FALSE(contains(list, "\nhost "));
    CHECK(contains(list, "This run PASSED"));
    CHECK(parse_kernel_list(list) == KernelList{{"bookworm", "6.1.0-56-amd64"}});
}
