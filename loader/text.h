// Small text helpers shared by the loader, the CLI and the tests.
#pragma once

#include <cstdarg>
#include <string>

namespace probectl {

// The whole file; empty when it cannot be read.
std::string read_text_file(const std::string &path);

// printf-style formatting of a va_list (libbpf's callbacks hand these over), sized to fit.
std::string format_va(const char *format, va_list args);

}  // namespace probectl
