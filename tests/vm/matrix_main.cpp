// probectl_matrix_report OUT_PREFIX LABEL=FOLDER[:host] ...: prints the matrix and writes
// OUT_PREFIX.json and OUT_PREFIX.md. Exit 0 when every VM kernel passed every hook and the host
// failed none.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "tests/vm/matrix_report.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fputs("usage: probectl_matrix_report OUT_PREFIX LABEL=FOLDER[:host] ...\n", stderr);
        return 2;
    }
    std::vector<probectl::matrix::KernelColumn> columns;
    for (int i = 2; i < argc; i++) {
        std::string spec = argv[i];
        const bool host = spec.ends_with(":host");
        if (host)
            spec.resize(spec.size() - 5);
        const auto eq = spec.find('=');
        if (eq == std::string::npos) {
            std::fputs(fmt::format("probectl_matrix_report: '{}' is not LABEL=FOLDER\n", spec).c_str(), stderr);
            return 2;
        }
        columns.push_back(probectl::matrix::read_column(spec.substr(0, eq), spec.substr(eq + 1), !host));
    }
    const std::string prefix = argv[1];
    std::ofstream(prefix + ".json") << probectl::matrix::to_json(columns).dump(2) << "\n";
    std::ofstream(prefix + ".md") << probectl::matrix::to_markdown(columns);
    std::fputs(probectl::matrix::to_text(columns).c_str(), stdout);
    const bool ok = probectl::matrix::passed(columns);
    std::fputs(
        fmt::format("matrix: {} (report: {}.md, {}.json)\n", ok ? "PASSED" : "FAILED", prefix, prefix).c_str(),
        stdout);
    return ok ? 0 : 1;
}
