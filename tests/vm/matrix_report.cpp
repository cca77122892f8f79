#include "tests/vm/matrix_report.h"

#include "loader/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace probectl::matrix {
namespace {

constexpr const char *kUnknownVersion = "unknown kernel";
constexpr const char *kLastGreenFile = "tests/vm/kernels-last-green.txt";
// Each hook row's budget (see suite_rows()): every hook's test case does the same few things.
constexpr int kHookBudgetSeconds = 12;

std::string trim(std::string text)
{
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
    return text;
}

// A one-line detail, cut to fit a table cell.
std::string capped(std::string text)
{
    return text.size() > 200 ? text.substr(0, 197) + "..." : text;
}

// hooks/<id>.seconds: whole seconds, one integer. Absent or unreadable: no time.
std::optional<int> read_seconds(const std::string &path)
{
    const std::string text = trim(read_text_file(path));
    if (text.empty() || text.size() > 9 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    return std::stoi(text);
}

const char *result_word(Cell::Result result)
{
    switch (result) {
    case Cell::Result::pass: return "PASS";
    case Cell::Result::fail: return "FAIL";
    case Cell::Result::unsupported: return "unsupported";
    }
    return "";
}

// "PASS", "FAIL 12 s: the error", "PASS 310 s ⚠ over 120 s budget".
std::string cell_text(const Cell &cell, const Row &row)
{
    std::string out = result_word(cell.result);
    if (cell.seconds)
        out += fmt::format(" {} s", *cell.seconds);
    if (over_budget(cell, row))
        out += fmt::format(" ⚠ over {} s budget", row.budget_seconds);
    if (!cell.detail.empty())
        out += ": " + cell.detail;
    return out;
}

// The same, short, for the text table: "PASS  42 s", "unsup 310 s!" (! is over budget).
std::string short_cell_text(const Cell &cell, const Row &row)
{
    const char *word = cell.result == Cell::Result::unsupported ? "unsup" : result_word(cell.result);
    if (!cell.seconds)
        return word;
    return fmt::format("{:<5}{:>3} s{}", word, *cell.seconds, over_budget(cell, row) ? "!" : "");
}

std::string seconds_text(std::optional<int> seconds)
{
    return seconds ? fmt::format("{} s", *seconds) : "no times";
}

// "bookworm 6.1.0-56-amd64": the label and the exact version, wherever a column is named.
std::string column_title(const KernelColumn &column)
{
    return fmt::format("{} {}", column.label, column.version);
}

std::string markdown_escape(const std::string &text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += '\\';
        out += c;
    }
    return out;
}

int budget_total(const Matrix &matrix)
{
    int total = 0;
    for (const auto &row : matrix.rows)
        total += row.budget_seconds;
    return total;
}

struct OverBudget {
    const Row *row;
    const KernelColumn *column;
    int seconds;
};

std::vector<OverBudget> over_budget_cells(const Matrix &matrix)
{
    std::vector<OverBudget> out;
    for (const auto &column : matrix.columns)
        for (size_t i = 0; i < matrix.rows.size(); i++)
            if (over_budget(column.cells[i], matrix.rows[i]))
                out.push_back({&matrix.rows[i], &column, *column.cells[i].seconds});
    return out;
}

std::string over_budget_text(const OverBudget &over)
{
    return fmt::format("{} on {} ({} s, budget {} s)", over.row->id, column_title(*over.column), over.seconds,
                       over.row->budget_seconds);
}

std::string new_kernel_text(const NewKernel &kernel)
{
    return fmt::format("{} {} ({})", kernel.label, kernel.version,
                       kernel.last_green ? "last green: " + *kernel.last_green
                                         : "no last green run on " + kernel.label);
}

// The lines the report starts with: kernels new since the last green run, then cells over budget.
struct Notices {
    std::vector<std::string> new_kernels;
    std::string last_green_error;
    std::vector<std::string> over_budget;
};

Notices notices(const Matrix &matrix, const History &history)
{
    Notices out;
    if (history.last_green)
        for (const auto &kernel : new_kernels(matrix.columns, *history.last_green))
            out.new_kernels.push_back(new_kernel_text(kernel));
    if (!history.last_green_error.empty())
        out.last_green_error =
            fmt::format("The last green run's kernels are unknown: {}", history.last_green_error);
    for (const auto &over : over_budget_cells(matrix))
        out.over_budget.push_back(over_budget_text(over));
    return out;
}

std::string join(const std::vector<std::string> &items, std::string_view separator)
{
    std::string out;
    for (const auto &item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

}  // namespace

// Budgets: the wall time each row may take on one kernel before the report flags it (it does not
// fail the matrix). They are for software emulation (qemu TCG, no KVM) on a 2-core machine, the
// slowest place the matrix runs; the host column is native and uses the same budget. Tighten them
// from the measured table in docs/ci-time.md, so that the next change that slows a row is seen. The
// hook rows, one per registered hook type, all have kHookBudgetSeconds.
const std::vector<Row> &suite_rows()
{
    static const std::vector<Row> table{
        // id        budget (s)   title
        {"cli", 50, "probectl CLI (attach, doctor, explain, btf)"},
        {"compare", 40, "probectl compare (8 scenarios)"},
        {"bench", 60, "probectl bench --quick (4 tiers, counters balanced)"},
        {"lab", 90, "probectl lab check (every lab)"},
        {"crash", 120, "crash safety (SIGKILL at many points, SIGTERM)"},
        {"privileges", 25, "privileges (setpriv: no root; CAP_BPF + CAP_PERFMON only)"},
        {"flood", 60, "event floods (stalled reader, slow pipe, closed pipe)"},
        {"hostile", 40, "hostile input (names, argv, uprobe targets)"},
        {"lockdown", 20, "lockdown confidentiality explained"},
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
        return capped(detail);
    }
    return "the test run failed without a Catch2 assertion (crash or timeout?)";
}

namespace {

// The non-blank lines of `text`, trimmed, each once, in order.
std::vector<std::string> distinct_lines(const std::string &text)
{
    std::vector<std::string> out;
    for (const auto &piece : split(text, '\n'))
        if (std::string line = trim(piece); !line.empty() && std::find(out.begin(), out.end(), line) == out.end())
            out.push_back(std::move(line));
    return out;
}

// kernel-tests.sh leaves the row `hooks`, FAIL, when `probectl list --json` gave it no hook type:
// then no hook ran on that kernel, a fault of the whole run, said where the VM's own faults are.
// Its output starts with why, then what probectl printed. "" when the hook types were listed.
std::string hook_list_error(const std::string &folder)
{
    const std::string base = folder + "/hooks/hooks";
    if (const std::string status = trim(read_text_file(base + ".status")); status.empty() || status == "0")
        return "";
    const auto lines = distinct_lines(read_text_file(base + ".out"));
    std::string error = lines.empty() ? "the hook types were not listed" : lines[0];
    if (lines.size() > 1)
        error += " " + lines[1];
    return capped(error);
}

// The column without its cells: those need every column's hook types (Matrix::rows).
KernelColumn read_column(const ColumnFolder &folder)
{
    KernelColumn column;
    column.label = folder.label;
    column.version = trim(read_text_file(folder.folder + "/kernel-version"));
    if (column.version.empty())
        column.version = kUnknownVersion;
    column.must_pass = folder.must_pass;
    column.run_error = trim(read_text_file(folder.folder + "/run-error"));
    if (const std::string error = hook_list_error(folder.folder); !error.empty())
        column.run_error = column.run_error.empty() ? error : column.run_error + "; " + error;
    column.hooks = distinct_lines(read_text_file(folder.folder + "/hooks/hook-rows"));
    return column;
}

// Every hook type the columns' runs listed, each once, in the order first seen: the registry's.
std::vector<std::string> hook_union(const std::vector<KernelColumn> &columns)
{
    std::vector<std::string> out;
    for (const auto &column : columns)
        for (const auto &hook : column.hooks)
            if (std::find(out.begin(), out.end(), hook) == out.end())
                out.push_back(hook);
    return out;
}

Cell did_not_run(const KernelColumn &column)
{
    Cell cell;
    cell.detail = column.run_error.empty() ? "did not run" : "did not run: " + column.run_error;
    return cell;
}

// A row's result files: hooks/<id>.status, .out and .seconds.
Cell read_cell(const std::string &folder, const KernelColumn &column, const std::string &id)
{
    const std::string base = folder + "/hooks/" + id;
    std::ifstream status_file(base + ".status");
    int status = -1;
    if (!(status_file >> status))
        return did_not_run(column);
    Cell cell;
    const std::string output = read_text_file(base + ".out");
    cell.seconds = read_seconds(base + ".seconds");
    if (auto at = output.find("SKIPPED: "); status == 0 && at != std::string::npos) {
        std::string reason = output.substr(at + 9, output.find('\n', at) - at - 9);
        cell.result = Cell::Result::unsupported;
        cell.detail = reason.substr(reason.find(": ") == std::string::npos ? 0 : reason.find(": ") + 2);
    } else if (status == 0) {
        cell.result = Cell::Result::pass;
    } else {
        cell.detail = first_error(output);
    }
    return cell;
}

// A hook row's cell: the run's result when it listed the hook. A hook another column's run listed
// and this one's did not (its build registered no such hook type) is a failure, not a blank: else a
// VM kernel whose run lost a hook would pass.
Cell hook_cell(const std::string &folder, const KernelColumn &column, const std::string &hook)
{
    if (std::find(column.hooks.begin(), column.hooks.end(), hook) != column.hooks.end())
        return read_cell(folder, column, hook);
    if (column.hooks.empty())
        return did_not_run(column);
    Cell cell;
    cell.detail = "not among this run's hook types (hooks/hook-rows)";
    return cell;
}

}  // namespace

Matrix read_matrix(const std::vector<ColumnFolder> &folders)
{
    Matrix matrix;
    for (const auto &folder : folders)
        matrix.columns.push_back(read_column(folder));
    const std::vector<std::string> hooks = hook_union(matrix.columns);
    for (const auto &hook : hooks)
        matrix.rows.push_back({hook, kHookBudgetSeconds, hook});
    matrix.rows.insert(matrix.rows.end(), suite_rows().begin(), suite_rows().end());
    for (size_t k = 0; k < folders.size(); k++) {
        KernelColumn &column = matrix.columns[k];
        for (const auto &hook : hooks)
            column.cells.push_back(hook_cell(folders[k].folder, column, hook));
        for (const auto &row : suite_rows())
            column.cells.push_back(read_cell(folders[k].folder, column, row.id));
    }
    return matrix;
}

std::optional<int> total_seconds(const KernelColumn &column)
{
    std::optional<int> total;
    for (const auto &cell : column.cells)
        if (cell.seconds)
            total = total.value_or(0) + *cell.seconds;
    return total;
}

bool over_budget(const Cell &cell, const Row &row)
{
    return cell.seconds && *cell.seconds > row.budget_seconds;
}

KernelList parse_kernel_list(const std::string &text)
{
    KernelList out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#')
            continue;
        const auto space = line.find_first_of(" \t");
        if (space == std::string::npos)
            out.emplace_back(line, "");
        else
            out.emplace_back(line.substr(0, space), trim(line.substr(space)));
    }
    return out;
}

std::string kernel_list_text(const Matrix &matrix)
{
    std::string out = fmt::format(
        "# The VM kernels of one kernel matrix run, \"<label> <version>\" a line (probectl_matrix_report).\n"
        "# This run {}. After a green run, copy this file over {} and commit it:\n"
        "# the next run then names at its top each kernel that changed since.\n",
        passed(matrix) ? "PASSED" : "FAILED", kLastGreenFile);
    for (const auto &column : matrix.columns) {
        if (!column.must_pass)
            continue;
        if (column.version == kUnknownVersion)
            out += fmt::format("# {}: the run left no kernel version\n", column.label);
        else
            out += fmt::format("{} {}\n", column.label, column.version);
    }
    return out;
}

std::vector<NewKernel> new_kernels(const std::vector<KernelColumn> &columns, const KernelList &last_green)
{
    std::vector<NewKernel> out;
    for (const auto &column : columns) {
        if (!column.must_pass || column.version == kUnknownVersion)
            continue;  // the host's kernel is this machine's; an unknown version compares with nothing
        const auto known = std::find_if(last_green.begin(), last_green.end(),
                                        [&](const auto &entry) { return entry.first == column.label; });
        if (known == last_green.end())
            out.push_back({column.label, column.version, std::nullopt});
        else if (known->second != column.version)
            out.push_back({column.label, column.version, known->second});
    }
    return out;
}

// A matrix in which no run listed a hook type (folders from before hooks/hook-rows) tested none. An
// "unsupported" cell passes on every kernel: the hook test skips only when the reason probectl gives
// is the one it found itself, independently (tests/kernel/expected_hooks.cpp), and fails otherwise;
// so a VM kernel may lack a hook type newer than itself (uprobe.multi on 6.1), and says why.
bool passed(const Matrix &matrix)
{
    bool hooks_listed = false;
    for (const auto &column : matrix.columns) {
        if (!column.run_error.empty())
            return false;
        for (const auto &cell : column.cells)
            if (cell.result == Cell::Result::fail)
                return false;
        hooks_listed = hooks_listed || !column.hooks.empty();
    }
    return hooks_listed;
}

// Fits an 80-column terminal for five kernels: rows by id, kernels by label (their versions above).
std::string to_text(const Matrix &matrix, const History &history)
{
    const auto &rows = matrix.rows;
    const auto &columns = matrix.columns;
    const Notices top = notices(matrix, history);
    std::string out;
    for (const auto &line : top.new_kernels)
        out += "NEW KERNEL since the last green run: " + line + "\n";
    if (!top.last_green_error.empty())
        out += top.last_green_error + "\n";
    if (!top.over_budget.empty()) {
        out += "OVER BUDGET (does not fail the matrix):\n";
        for (const auto &line : top.over_budget)
            out += "  " + line + "\n";
    }

    size_t label_width = 0;
    for (const auto &column : columns)
        label_width = std::max(label_width, column.label.size());
    out += "kernels (each row's result and wall time; ! = over the row's budget):\n";
    for (const auto &column : columns)
        out += fmt::format("  {:<{}}  {:<24} total {}\n", column.label, label_width, column.version,
                           seconds_text(total_seconds(column)));

    size_t id_width = std::string_view("kernel log").size();
    for (const auto &row : rows)
        id_width = std::max(id_width, row.id.size());
    std::vector<size_t> widths;
    for (const auto &column : columns) {
        size_t width = column.label.size();
        for (size_t i = 0; i < rows.size(); i++)
            width = std::max(width, short_cell_text(column.cells[i], rows[i]).size());
        widths.push_back(std::max(width, seconds_text(total_seconds(column)).size()));
    }
    const auto line = [&](std::string_view name, auto &&cell) {
        std::string text = fmt::format("{:<{}}", name, id_width);
        for (size_t k = 0; k < columns.size(); k++)
            text += fmt::format(" {:<{}}", cell(columns[k]), widths[k]);
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        return text + "\n";
    };
    out += line("row", [](const KernelColumn &column) { return column.label; });
    for (size_t i = 0; i < rows.size(); i++)
        out += line(rows[i].id,
                    [&, i](const KernelColumn &column) { return short_cell_text(column.cells[i], rows[i]); });
    out += line("total", [](const KernelColumn &column) { return seconds_text(total_seconds(column)); });
    out += line("kernel log", [](const KernelColumn &column) -> std::string {
        return column.run_error.empty() ? "clean" : "PROBLEM";
    });
    // The words behind every cell that is not a plain PASS.
    for (const auto &column : columns) {
        for (size_t i = 0; i < rows.size(); i++)
            if (column.cells[i].result != Cell::Result::pass)
                out += fmt::format("  {} on {}: {}: {}\n", rows[i].id, column_title(column),
                                   result_word(column.cells[i].result), column.cells[i].detail);
        if (!column.run_error.empty())
            out += fmt::format("  {}: {}\n", column_title(column), column.run_error);
    }
    return out;
}

std::string to_markdown(const Matrix &matrix, const History &history)
{
    const auto &rows = matrix.rows;
    const auto &columns = matrix.columns;
    const Notices top = notices(matrix, history);
    std::string out = "# probectl kernel matrix\n\n";
    for (const auto &line : top.new_kernels)
        out += "**New kernel since the last green run:** " + markdown_escape(line) + "\n\n";
    if (!top.last_green_error.empty())
        out += "**" + markdown_escape(top.last_green_error) + "**\n\n";
    if (!top.over_budget.empty())
        out += "**⚠ Over budget** (does not fail the matrix): " + markdown_escape(join(top.over_budget, "; ")) +
               "\n\n";

    out += "Each row's kernel tests (tests/kernel/), run on each kernel: PASS, FAIL with the first error, or "
           "unsupported with the kernel's reason, and the row's wall time. A row slower than its budget is "
           "flagged ⚠; that does not fail the matrix.\n\n| row | budget |";
    for (const auto &column : columns)
        out += fmt::format(" {} |", markdown_escape(column_title(column)));
    out += "\n|---|---|";
    for (size_t i = 0; i < columns.size(); i++)
        out += "---|";
    out += "\n";
    for (size_t i = 0; i < rows.size(); i++) {
        out += fmt::format("| {} | {} s |", rows[i].title, rows[i].budget_seconds);
        for (const auto &column : columns)
            out += fmt::format(" {} |", markdown_escape(cell_text(column.cells[i], rows[i])));
        out += "\n";
    }
    out += fmt::format("| total (wall time of the rows) | {} s |", budget_total(matrix));
    for (const auto &column : columns)
        out += fmt::format(" {} |", seconds_text(total_seconds(column)));
    out += "\n| kernel log / VM run | |";
    for (const auto &column : columns)
        out += fmt::format(" {} |", column.run_error.empty() ? "clean" : markdown_escape(column.run_error));
    out += "\n";

    out += fmt::format(
        "\nTimes are each row's wall time (hooks/ROW.seconds from scripts/vm/kernel-tests.sh). Budgets "
        "are for software emulation (qemu TCG) on a 2-core machine, set in tests/vm/matrix_report.cpp: "
        "suite_rows(), and {} s for every hook type.\n",
        kHookBudgetSeconds);
    out += "\nEach VM kernel is the newest of its Debian suite at run time.";
    if (!history.kernels_file.empty())
        out += fmt::format(" This run's kernels are in {}: after a green run, copy it over {} (and commit it) "
                           "so that the next run names at its top each kernel that changed.",
                           history.kernels_file, kLastGreenFile);
    if (history.last_green && top.new_kernels.empty())
        out += fmt::format(" Every VM kernel is the one of the last green run ({}).", history.last_green_file);
    out += "\n";
    return out;
}

nlohmann::json to_json(const Matrix &matrix, const History &history)
{
    const auto &rows = matrix.rows;
    const auto &columns = matrix.columns;
    const auto optional_int = [](std::optional<int> value) {
        return value ? nlohmann::json(*value) : nlohmann::json();
    };
    nlohmann::json out;
    out["passed"] = passed(matrix);
    out["kernels"] = nlohmann::json::array();
    for (const auto &column : columns) {
        nlohmann::json kernel;
        kernel["label"] = column.label;
        kernel["version"] = column.version;
        kernel["must_pass"] = column.must_pass;
        kernel["run_error"] = column.run_error.empty() ? nlohmann::json() : nlohmann::json(column.run_error);
        kernel["total_seconds"] = optional_int(total_seconds(column));
        nlohmann::json cells;
        for (size_t i = 0; i < rows.size(); i++) {
            const Cell &cell = column.cells[i];
            cells[rows[i].id] = {{"result", result_word(cell.result)},
                                 {"detail", cell.detail.empty() ? nlohmann::json() : nlohmann::json(cell.detail)},
                                 {"seconds", optional_int(cell.seconds)},
                                 {"budget_seconds", rows[i].budget_seconds},
                                 {"over_budget", over_budget(cell, rows[i])}};
        }
        kernel["cells"] = std::move(cells);
        out["kernels"].push_back(std::move(kernel));
    }
    out["over_budget"] = nlohmann::json::array();
    for (const auto &over : over_budget_cells(matrix))
        out["over_budget"].push_back({{"row", over.row->id},
                                      {"label", over.column->label},
                                      {"version", over.column->version},
                                      {"seconds", over.seconds},
                                      {"budget_seconds", over.row->budget_seconds}});
    // null when the run was not compared with a last green run (no --last-green, or it was unreadable).
    out["new_kernels"] = nlohmann::json();
    if (history.last_green) {
        out["new_kernels"] = nlohmann::json::array();
        for (const auto &kernel : new_kernels(columns, *history.last_green))
            out["new_kernels"].push_back(
                {{"label", kernel.label},
                 {"version", kernel.version},
                 {"last_green", kernel.last_green ? nlohmann::json(*kernel.last_green) : nlohmann::json()}});
    }
    return out;
}

}  // namespace probectl::matrix
