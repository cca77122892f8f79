// Small text helpers shared by the loader, the CLI and the tests.
#pragma once

#include <cstdarg>
#include <string>
#include <string_view>
#include <vector>

namespace probectl {

// The whole file; empty when it cannot be read.
std::string read_text_file(const std::string &path);

// printf-style formatting of a va_list (libbpf's callbacks hand these over), sized to fit.
std::string format_va(const char *format, va_list args);

// The pieces between separators, empty ones kept: "a,,b" is {"a", "", "b"}; "" is {""}.
std::vector<std::string> split(std::string_view text, char separator);

// Without leading and trailing blanks and newlines.
std::string trim(std::string_view text);

// "1 event", "3 events", "0 events": a count and its noun (an English plural by "s").
std::string counted(std::size_t count, std::string_view noun);

// Each line of `text` (trailing newline or not) prefixed with `prefix`, each ending in a newline.
std::string indent(std::string_view text, std::string_view prefix);

// The text folded at spaces, and after commas, into lines of at most `width` columns (a longer word
// stays whole on its own line), the first line begun with `first`, the others with `rest`; each line
// ends in a newline.
std::string wrap(std::string_view text, std::size_t width, std::string_view first, std::string_view rest);

}  // namespace probectl
