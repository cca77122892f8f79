#include "loader/text.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace probectl {

std::string read_text_file(const std::string &path)
{
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string format_va(const char *format, va_list args)
{
    va_list measure;
    va_copy(measure, args);
    const int n = std::vsnprintf(nullptr, 0, format, measure);
    va_end(measure);
    if (n <= 0)
        return {};
    std::string text(static_cast<size_t>(n) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), format, args);
    text.resize(static_cast<size_t>(n));
    return text;
}

std::vector<std::string> split(std::string_view text, char separator)
{
    std::vector<std::string> pieces;
    size_t start = 0;
    while (true) {
        const size_t end = text.find(separator, start);
        pieces.emplace_back(
            text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos)
            return pieces;
        start = end + 1;
    }
}

std::string trim(std::string_view text)
{
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos)
        return "";
    const auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

std::string counted(std::size_t count, std::string_view noun)
{
    return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string indent(std::string_view text, std::string_view prefix)
{
    std::string out;
    if (text.ends_with('\n'))
        text.remove_suffix(1);
    if (text.empty())
        return out;
    for (const auto &line : split(text, '\n'))
        out += std::string(prefix) + line + "\n";
    return out;
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first, std::string_view rest)
{
    std::string out;
    std::string line(first);
    bool empty_line = true;  // nothing on the line yet
    auto place = [&](std::string_view piece, bool spaced) {
        if (!empty_line && line.size() + (spaced ? 1 : 0) + piece.size() > width) {
            out += line + "\n";
            line = rest;
            empty_line = true;
        }
        if (!empty_line && spaced)
            line += ' ';
        line += piece;
        empty_line = false;
    };
    for (const auto &word : split(text, ' ')) {
        // A word breaks after its commas too: a list of names without spaces (a,b,c) folds.
        std::string_view remaining = word;
        bool spaced = true;
        while (!remaining.empty()) {
            const auto comma = remaining.find(',');
            const auto end = comma == std::string_view::npos ? remaining.size() : comma + 1;
            place(remaining.substr(0, end), spaced);
            remaining.remove_prefix(end);
            spaced = false;
        }
    }
    return out + line + "\n";
}

}  // namespace probectl
