// probectl report: recordings of `probectl compare --record`, bench results and doctor reports from
// several kernels merged into one report (compare/kernels.h), read one file at a time.
#include "cli/commands.h"
#include "cli/output_file.h"
#include "compare/kernels.h"
#include "loader/event_format.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

namespace probectl {
namespace {

// One file given to report, folded in and let go: a recording of probectl compare, the results of
// probectl bench --json or probectl doctor --json (told apart by their version fields).
Expected<void> fold_file(compare::KernelsMerge &merge, const std::string &path)
{
    constexpr std::string_view kHint =
        "give files written by probectl compare --record, probectl bench --json or probectl doctor --json";
    std::ifstream in(path);
    if (!in)
        return fail(ErrorKind::bad_file, fmt::format("cannot read {}", path), std::string(kHint));
    const auto value = nlohmann::json::parse(in, nullptr, false);
    if (value.is_discarded())
        return fail(ErrorKind::bad_file, fmt::format("{} is not JSON", path), std::string(kHint));
    for (const auto &[key, what] :
         {std::pair{"probectl_bench", "bench results"}, {"probectl_doctor", "a doctor report"}})
        if (value.is_object() && value.contains(key) && value.at(key) != 1)
            return fail(ErrorKind::bad_file,
                        fmt::format("{}: {} of format version {}, this probectl reads 1", path, what,
                                    json_line(value.at(key))),
                        "use the probectl that wrote it, or a newer one");
    if (value.is_object() && value.contains("probectl_bench"))
        return merge.add_bench(value, path);
    if (value.is_object() && value.contains("probectl_doctor"))
        return merge.add_doctor(value, path);
    auto recording = compare::recording_from_json(value);
    if (!recording)
        return fail(ErrorKind::bad_file, fmt::format("{}: {}", path, recording.error().message),
                    std::string(kHint));
    return merge.add(*recording, path);
}

}  // namespace

int run_report(const ReportOptions &options)
{
    for (const auto &[path, option] :
         {std::pair{options.markdown_file, "--markdown"}, std::pair{options.html_file, "--html"}})
        if (auto ok = check_output_file(path, option); !ok)
            return report_error(ok.error());
    compare::KernelsMerge merge;
    for (const auto &file : options.files)
        if (auto added = fold_file(merge, file); !added)
            return report_error(added.error());
    const compare::KernelsReport report = merge.report();
    if (options.json)
        std::fputs((json_line(compare::kernels_to_json(report)) + "\n").c_str(), stdout);
    else
        std::fputs(compare::render_kernels_text(report, options.all).c_str(), stdout);
    if (!options.markdown_file.empty())
        if (auto written =
                write_file(options.markdown_file, compare::render_kernels_markdown(report, options.all));
            !written)
            return report_error(written.error());
    if (!options.html_file.empty())
        if (auto written = write_file(options.html_file, compare::render_kernels_html(report)); !written)
            return report_error(written.error());
    return 0;
}

}  // namespace probectl
