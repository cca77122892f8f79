// The kernel matrix: hook x kernel, each cell PASS, FAIL (with the first error) or unsupported
// (with the reason), read from the result folders that scripts/vm/matrix.sh leaves.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace probectl::matrix {

struct Cell {
    enum class Result { pass, fail, unsupported };
    Result result = Result::fail;
    std::string detail;  // FAIL: the first error; unsupported: the reason
};

struct KernelColumn {
    std::string label;        // "bookworm", "host"
    std::string version;      // "6.1.0-56-amd64"
    bool must_pass = true;    // VM kernels: every hook must pass; the host may lack hooks
    std::string run_error;    // the VM did not finish, or its kernel log reported problems
    std::vector<Cell> cells;  // one per row of kRows
};

struct Row {
    std::string id;     // result file name: hooks/<id>.status
    std::string title;  // as shown
};
const std::vector<Row> &rows();

// Reads one kernel's results folder (kernel-version, run-error, hooks/<id>.status and .out).
KernelColumn read_column(const std::string &label, const std::string &folder, bool must_pass);

// The first failed assertion of a Catch2 run, on one line.
std::string first_error(const std::string &output);

bool passed(const std::vector<KernelColumn> &columns);
std::string to_text(const std::vector<KernelColumn> &columns);
std::string to_markdown(const std::vector<KernelColumn> &columns);
nlohmann::json to_json(const std::vector<KernelColumn> &columns);

}  // namespace probectl::matrix
