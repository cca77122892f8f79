#include "tests/support/folded_text.h"

#include <catch2/catch.hpp>

#include "loader/text.h"

namespace probectl::test {

std::string unfolded(const std::string &text)
{
    std::string out;
    for (const auto &line : split(text, '\n')) {
        INFO(line);
        CHECK(line.size() <= 80);
        const auto start = line.find_first_not_of(' ');
        const bool continued = start != std::string::npos && start >= 4 && !out.empty() && out.back() != '\n';
        out += continued ? " " + line.substr(start) : (out.empty() ? "" : "\n") + line;
    }
    return out;
}

}  // namespace probectl::test
