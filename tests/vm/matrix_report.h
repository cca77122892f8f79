// The kernel matrix: row x kernel, each cell PASS, FAIL (with the first error) or unsupported
// (with the reason), with the row's wall time against its budget, read from the result folders that
// scripts/vm/matrix.sh leaves; and which kernels are new since the last green run.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace probectl::matrix {

struct Cell {
    enum class Result { pass, fail, unsupported };
    Result result = Result::fail;
    std::string detail;          // FAIL: the first error; unsupported: the reason
    std::optional<int> seconds;  // the row's wall time (hooks/<id>.seconds); none when absent
};

struct KernelColumn {
    std::string label;        // "bookworm", "host"
    std::string version;      // "6.1.0-56-amd64"; "unknown kernel" when the folder had none
    bool must_pass = true;    // VM kernels: every row must pass; the host may lack hooks
    std::string run_error;    // the VM did not finish, or its kernel log reported problems
    std::vector<Cell> cells;  // one per row of rows()
};

struct Row {
    std::string id;      // result file name: hooks/<id>.status, .out, .seconds
    int budget_seconds;  // longer than this on one kernel is flagged (the table in rows())
    std::string title;   // as shown
};
const std::vector<Row> &rows();

// Reads one kernel's results folder (kernel-version, run-error, hooks/<id>.status, .out and .seconds).
KernelColumn read_column(const std::string &label, const std::string &folder, bool must_pass);

// The first failed assertion of a Catch2 run, on one line.
std::string first_error(const std::string &output);

// The sum of the column's row times; none when no row was timed.
std::optional<int> total_seconds(const KernelColumn &column);
// The cell of row `row` took longer than the row's budget.
bool over_budget(const KernelColumn &column, size_t row);

// "<label> <version>" lines, as in tests/vm/kernels-last-green.txt: label -> version, in file order.
// Blank lines and lines starting with '#' are skipped.
using KernelList = std::vector<std::pair<std::string, std::string>>;
KernelList parse_kernel_list(const std::string &text);
// The run's own list (every VM kernel whose version is known; the host's kernel is the machine's,
// not a suite's, and is left out), with comments saying what to do with it.
std::string kernel_list_text(const std::vector<KernelColumn> &columns);

struct NewKernel {
    std::string label;
    std::string version;
    std::optional<std::string> last_green;  // none: the label is not in the last green list
};
// The VM kernels whose version differs from the last green run's for the same label.
std::vector<NewKernel> new_kernels(const std::vector<KernelColumn> &columns, const KernelList &last_green);

// What the run is compared with, and where its kernel list goes (probectl_matrix_report's options).
struct History {
    std::optional<KernelList> last_green;  // --last-green FILE; none: no comparison
    std::string last_green_file;           // that FILE, as named in the report
    std::string last_green_error;          // FILE was given but could not be read
    std::string kernels_file;              // where this run's kernel list was written ("": nowhere)
};

bool passed(const std::vector<KernelColumn> &columns);
std::string to_text(const std::vector<KernelColumn> &columns, const History &history = {});
std::string to_markdown(const std::vector<KernelColumn> &columns, const History &history = {});
nlohmann::json to_json(const std::vector<KernelColumn> &columns, const History &history = {});

}  // namespace probectl::matrix
