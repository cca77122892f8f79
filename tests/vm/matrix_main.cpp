// probectl_matrix_report [--last-green FILE] OUT_PREFIX LABEL=FOLDER[:host] ...
//
// Prints the matrix and writes OUT_PREFIX.md, OUT_PREFIX.json and OUT_PREFIX-kernels.txt (this run's
// VM kernels, "<label> <version>" a line). With --last-green FILE (tests/vm/kernels-last-green.txt),
// the report starts with each VM kernel whose version differs from FILE's for its label. Exit 0 when
// every VM kernel passed every row and the host failed none (time over a row's budget is flagged but
// fails nothing), 1 when not, 2 on a usage error. An unreadable FILE is said in the report, not fatal.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/vm/matrix_report.h"

namespace {

int usage(const std::string &problem)
{
    if (!problem.empty())
        std::fputs(fmt::format("probectl_matrix_report: {}\n", problem).c_str(), stderr);
    std::fputs("usage: probectl_matrix_report [--last-green FILE] OUT_PREFIX LABEL=FOLDER[:host] ...\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char **argv)
{
    using namespace probectl::matrix;
    History history;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        if (arg == "--last-green" || arg.starts_with("--last-green=")) {
            if (arg == "--last-green" && i + 1 == argc)
                return usage("--last-green needs a FILE");
            history.last_green_file = arg == "--last-green" ? argv[++i] : arg.substr(13);
        } else if (arg.starts_with("--")) {
            return usage(fmt::format("unknown option {}", arg));
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() < 2)
        return usage("");

    std::vector<ColumnFolder> folders;
    for (size_t i = 1; i < positional.size(); i++) {
        std::string spec = positional[i];
        const bool host = spec.ends_with(":host");
        if (host)
            spec.resize(spec.size() - 5);
        const auto eq = spec.find('=');
        if (eq == std::string::npos)
            return usage(fmt::format("'{}' is not LABEL=FOLDER", spec));
        folders.push_back({spec.substr(0, eq), spec.substr(eq + 1), !host});
    }
    const Matrix matrix = read_matrix(folders);

    if (!history.last_green_file.empty()) {
        std::ifstream in(history.last_green_file);
        std::ostringstream text;
        if (in && text << in.rdbuf())
            history.last_green = parse_kernel_list(text.str());
        else if (in)
            history.last_green = KernelList{};  // an empty file: every VM kernel is new
        else
            history.last_green_error = fmt::format("cannot read {}", history.last_green_file);
    }
    const std::string prefix = positional[0];
    history.kernels_file = prefix + "-kernels.txt";
    std::ofstream(history.kernels_file) << kernel_list_text(matrix);
    std::ofstream(prefix + ".json") << to_json(matrix, history).dump(2) << "\n";
    std::ofstream(prefix + ".md") << to_markdown(matrix, history);
    std::fputs(to_text(matrix, history).c_str(), stdout);
    const bool ok = passed(matrix);
    std::fputs(
        fmt::format("matrix: {} (report: {}.md, also .json and -kernels.txt)\n", ok ? "PASSED" : "FAILED", prefix)
            .c_str(),
        stdout);
    return ok ? 0 : 1;
}
