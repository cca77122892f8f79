// Fuzz target: `probectl compare --replay FILE`, from the JSON text on: a file either is refused
// with an error, or yields a recording whose report builds and renders in every format.
#include "compare/recording.h"
#include "compare/render.h"
#include "compare/report.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto value = nlohmann::json::parse(data, data + size, nullptr, false);
    if (value.is_discarded())
        return 0;
    auto recording = probectl::compare::recording_from_json(value);
    if (!recording)
        return 0;
    const auto report = probectl::compare::build_report(*recording);
    (void)probectl::compare::report_to_json(report).dump(-1, ' ', true);
    (void)probectl::compare::render_text(report, {});
    (void)probectl::compare::render_markdown(report);
    (void)probectl::compare::render_html(report);
    return 0;
}
