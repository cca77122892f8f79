#include "loader/libbpf_log.h"

#include "loader/text.h"

#include <bpf/libbpf.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <string>

namespace probectl {
namespace {

int libbpf_to_spdlog(enum libbpf_print_level level, const char *format, va_list args)
{
    const auto spd_level = level == LIBBPF_DEBUG ? spdlog::level::trace : spdlog::level::debug;
    if (!spdlog::should_log(spd_level))
        return 0;
    // Verifier logs arrive as one message of many kilobytes: format_va sizes the text to fit.
    std::string text = format_va(format, args);
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    spdlog::log(spd_level, "{}", text);  // libbpf prefixes its own lines
    return static_cast<int>(text.size());
}

std::string *g_capture = nullptr;  // the living LibbpfLogCapture's text

int capture_all(enum libbpf_print_level, const char *format, va_list args)
{
    if (g_capture)
        *g_capture += format_va(format, args);
    return 0;
}

}  // namespace

LibbpfLogCapture::LibbpfLogCapture() : previous_(libbpf_set_print(capture_all))
{
    g_capture = &text_;
}

LibbpfLogCapture::~LibbpfLogCapture()
{
    libbpf_set_print(previous_);
    g_capture = nullptr;
}

void route_libbpf_log(int verbosity)
{
    // stdout carries events (table or NDJSON); every diagnostic goes to stderr.
    if (!spdlog::get("probectl")) {
        auto logger = spdlog::stderr_color_mt("probectl");
        logger->set_pattern("probectl: %l: %v");
        spdlog::set_default_logger(logger);
    }
    spdlog::set_level(verbosity >= 2   ? spdlog::level::trace
                      : verbosity == 1 ? spdlog::level::debug
                                       : spdlog::level::info);
    libbpf_set_print(libbpf_to_spdlog);
}

std::string log_line_with(const std::string &log, std::string_view needle)
{
    for (const auto &line : split(log, '\n'))
        if (line.find(needle) != std::string::npos)
            return trim(line);
    return "";
}

}  // namespace probectl
