// probectl report: recordings of `probectl compare --record` from several kernels merged into one
// report (compare/kernels.h), read one file at a time.
#include "cli/commands.h"
#include "cli/output_file.h"
#include "compare/kernels.h"
#include "loader/event_format.h"

#include <cstdio>
#include <string>
#include <utility>

namespace probectl {

int run_report(const ReportOptions &options)
{
    for (const auto &[path, option] :
         {std::pair{options.markdown_file, "--markdown"}, std::pair{options.html_file, "--html"}})
        if (auto ok = check_output_file(path, option); !ok)
            return report_error(ok.error());
    compare::KernelsMerge merge;
    for (const auto &file : options.files) {
        auto recording = compare::read_recording(file);
        if (!recording)
            return report_error(recording.error());
        if (auto added = merge.add(*recording, file); !added)
            return report_error(added.error());
    }
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
