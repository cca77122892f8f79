// The kernel matrix: row (each hook type the runs listed, then the suite rows) x kernel, each cell
// PASS, FAIL (with the first error) or unsupported (with the reason), with the row's wall time
// against its budget, read from the result folders that scripts/vm/matrix.sh leaves; and which
// kernels are new since the last green run.
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

struct Row {
    std::string id;      // result file name: hooks/<id>.status, .out, .seconds
    int budget_seconds;  // longer than this on one kernel is flagged
    std::string title;   // as shown
};
// The fixed rows, after the hook rows: one per suite of tests/kernel/ (the table, with budgets, in the .cpp).
const std::vector<Row> &suite_rows();

struct KernelColumn {
    std::string label;               // "bookworm", "host"
    std::string version;             // "6.1.0-56-amd64"; "unknown kernel" when the folder had none
    bool must_pass = true;           // a VM kernel (in the kernel list); false: the host, this machine
    std::string run_error;           // the VM did not finish, its kernel log reported problems, or the
                                     // run could not list its hook types
    std::vector<std::string> hooks;  // the hook types its run listed (hooks/hook-rows); none: no list
    std::vector<Cell> cells;         // one per row of Matrix::rows
};

struct Matrix {
    // Every hook type any column's run listed, in the order first seen, then suite_rows(): a newly
    // registered hook has its row without an edit here, and a kernel whose run lacks it fails it.
    std::vector<Row> rows;
    std::vector<KernelColumn> columns;
};

// One kernel's results folder, as scripts/vm/matrix.sh names it (LABEL=FOLDER[:host]).
struct ColumnFolder {
    std::string label;
    std::string folder;
    bool must_pass = true;
};
// Reads each folder (kernel-version, run-error, hooks/hook-rows, hooks/<id>.status, .out and .seconds).
// A folder without hooks/hook-rows (the VM did not run) adds no row, and its hook cells did not run.
Matrix read_matrix(const std::vector<ColumnFolder> &folders);

// The first failed assertion of a Catch2 run, on one line.
std::string first_error(const std::string &output);

// The sum of the column's row times; none when no row was timed.
std::optional<int> total_seconds(const KernelColumn &column);
// The cell took longer than its row's budget.
bool over_budget(const Cell &cell, const Row &row);

// "<label> <version>" lines, as in tests/vm/kernels-last-green.txt: label -> version, in file order.
// Blank lines and lines starting with '#' are skipped.
using KernelList = std::vector<std::pair<std::string, std::string>>;
KernelList parse_kernel_list(const std::string &text);
// The run's own list (every VM kernel whose version is known; the host's kernel is the machine's,
// not a suite's, and is left out), with comments saying what to do with it.
std::string kernel_list_text(const Matrix &matrix);

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

bool passed(const Matrix &matrix);
std::string to_text(const Matrix &matrix, const History &history = {});
std::string to_markdown(const Matrix &matrix, const History &history = {});
nlohmann::json to_json(const Matrix &matrix, const History &history = {});

}  // namespace probectl::matrix
