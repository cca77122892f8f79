#include "tests/vm/matrix_report.h"

#include "loader/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace probectl::matrix {
namespace {

std::string trim(std::string text)
{
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
    return text;
}

std::string cell_text(const Cell &cell)
{
    switch (cell.result) {
    case Cell::Result::pass: return "PASS";
    case Cell::Result::fail: return "FAIL: " + cell.detail;
    case Cell::Result::unsupported: return "unsupported: " + cell.detail;
    }
    return "";
}

std::string column_title(const KernelColumn &column)
{
    return fmt::format("{} ({})", column.version, column.label);
}

}  // namespace

const std::vector<Row> &rows()
{
    static const std::vector<Row> table{
        {"kprobe", "kprobe"},
        {"kretprobe", "kretprobe"},
        {"fentry", "fentry"},
        {"fexit", "fexit"},
        {"tracepoint", "tracepoint"},
        {"tp_btf", "tp_btf"},
        {"raw_tp", "raw_tp"},
        {"uprobe", "uprobe"},
        {"uretprobe", "uretprobe"},
        {"ksyscall", "ksyscall"},
        {"cli", "probectl CLI (attach, doctor, explain, btf)"},
        {"compare", "probectl compare (8 scenarios)"},
        {"bench", "probectl bench --quick (4 tiers, counters balanced)"},
        {"lab", "probectl lab check (every lab)"},
        {"crash", "crash safety (SIGKILL at many points, SIGTERM)"},
        {"privileges", "privileges (setpriv: no root; CAP_BPF + CAP_PERFMON only)"},
        {"flood", "event floods (stalled reader, slow pipe, closed pipe)"},
        {"hostile", "hostile input (names, argv, uprobe targets)"},
        {"lockdown", "lockdown confidentiality explained"},
    };
    return table;
}

std::string first_error(const std::string &output)
{
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("FAILED:") == std::string::npos)
            continue;
        std::string detail;
        while (std::getline(in, line) && !trim(line).empty() && line.find("=====") == std::string::npos) {
            if (!detail.empty())
                detail += ' ';
            detail += trim(line);
        }
        return detail.size() > 200 ? detail.substr(0, 197) + "..." : detail;
    }
    return "the test run failed without a Catch2 assertion (crash or timeout?)";
}

KernelColumn read_column(const std::string &label, const std::string &folder, bool must_pass)
{
    KernelColumn column;
    column.label = label;
    column.version = trim(read_text_file(folder + "/kernel-version"));
    column.must_pass = must_pass;
    column.run_error = trim(read_text_file(folder + "/run-error"));
    for (const auto &row : rows()) {
        Cell cell;
        const std::string base = folder + "/hooks/" + row.id;
        std::ifstream status_file(base + ".status");
        int status = -1;
        const std::string output = read_text_file(base + ".out");
        if (!(status_file >> status)) {
            cell.detail = column.run_error.empty() ? "did not run" : "did not run: " + column.run_error;
        } else if (auto at = output.find("SKIPPED: "); status == 0 && at != std::string::npos) {
            std::string reason = output.substr(at + 9, output.find('\n', at) - at - 9);
            cell.result = Cell::Result::unsupported;
            cell.detail = reason.substr(reason.find(": ") == std::string::npos ? 0 : reason.find(": ") + 2);
        } else if (status == 0) {
            cell.result = Cell::Result::pass;
        } else {
            cell.detail = first_error(output);
        }
        column.cells.push_back(std::move(cell));
    }
    if (column.version.empty())
        column.version = "unknown kernel";
    return column;
}

bool passed(const std::vector<KernelColumn> &columns)
{
    for (const auto &column : columns) {
        if (!column.run_error.empty())
            return false;
        for (const auto &cell : column.cells)
            if (cell.result == Cell::Result::fail || (column.must_pass && cell.result != Cell::Result::pass))
                return false;
    }
    return !columns.empty();
}

std::string to_text(const std::vector<KernelColumn> &columns)
{
    std::string out = fmt::format("{:<22}", "hook");
    for (const auto &column : columns)
        out += fmt::format(" {:<30}", column_title(column));
    out += "\n";
    for (size_t i = 0; i < rows().size(); i++) {
        out += fmt::format("{:<22}", rows()[i].title);
        for (const auto &column : columns) {
            const Cell &cell = column.cells[i];
            out += fmt::format(" {:<30}", cell.result == Cell::Result::pass   ? "PASS"
                                          : cell.result == Cell::Result::fail ? "FAIL"
                                                                              : "unsupported");
        }
        out += "\n";
    }
    out += fmt::format("{:<22}", "kernel log / VM run");
    for (const auto &column : columns)
        out += fmt::format(" {:<30}", column.run_error.empty() ? "clean" : "PROBLEM");
    out += "\n";
    // The words behind every cell that is not a plain PASS.
    for (const auto &column : columns) {
        for (size_t i = 0; i < rows().size(); i++)
            if (column.cells[i].result != Cell::Result::pass)
                out += fmt::format("  {} on {}: {}\n", rows()[i].title, column_title(column),
                                   cell_text(column.cells[i]));
        if (!column.run_error.empty())
            out += fmt::format("  {}: {}\n", column_title(column), column.run_error);
    }
    return out;
}

std::string to_markdown(const std::vector<KernelColumn> &columns)
{
    std::string out =
        "# probectl kernel matrix\n\nEach hook type's kernel test (tests/kernel/test_hooks.cpp), run on each "
        "kernel: PASS, FAIL with the first error, or unsupported with the kernel's reason.\n\n| hook |";
    for (const auto &column : columns)
        out += fmt::format(" {} |", column_title(column));
    out += "\n|---|";
    for (size_t i = 0; i < columns.size(); i++)
        out += "---|";
    out += "\n";
    for (size_t i = 0; i < rows().size(); i++) {
        out += fmt::format("| {} |", rows()[i].title);
        for (const auto &column : columns)
            out += fmt::format(" {} |", cell_text(column.cells[i]));
        out += "\n";
    }
    out += "| kernel log / VM run |";
    for (const auto &column : columns)
        out += fmt::format(" {} |", column.run_error.empty() ? "clean" : column.run_error);
    out += "\n";
    return out;
}

nlohmann::json to_json(const std::vector<KernelColumn> &columns)
{
    nlohmann::json out;
    out["passed"] = passed(columns);
    out["kernels"] = nlohmann::json::array();
    for (const auto &column : columns) {
        nlohmann::json kernel;
        kernel["label"] = column.label;
        kernel["version"] = column.version;
        kernel["must_pass"] = column.must_pass;
        kernel["run_error"] = column.run_error.empty() ? nlohmann::json() : nlohmann::json(column.run_error);
        nlohmann::json cells;
        for (size_t i = 0; i < rows().size(); i++) {
            const Cell &cell = column.cells[i];
            cells[rows()[i].id] = {
                {"result", cell.result == Cell::Result::pass   ? "PASS"
                           : cell.result == Cell::Result::fail ? "FAIL"
                                                               : "unsupported"},
                {"detail", cell.detail.empty() ? nlohmann::json() : nlohmann::json(cell.detail)}};
        }
        kernel["cells"] = std::move(cells);
        out["kernels"].push_back(std::move(kernel));
    }
    return out;
}

}  // namespace probectl::matrix
