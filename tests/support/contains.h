// The tests' substring check: CHECK(contains(output, "...")) names both strings when it fails.
#pragma once

#include <string_view>

namespace probectl::test {

inline bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

}  // namespace probectl::test
