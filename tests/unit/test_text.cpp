#include <catch2/catch.hpp>

#include "loader/text.h"

using probectl::split;

TEST_CASE("split keeps empty pieces and the text after the last separator", "[text]")
{
    CHECK(split("a,b", ',') == std::vector<std::string>{"a", "b"});
    CHECK(split("a,,b,", ',') == std::vector<std::string>{"a", "", "b", ""});
    CHECK(split("", ':') == std::vector<std::string>{""});
    CHECK(split("/usr/bin", ':') == std::vector<std::string>{"/usr/bin"});
}
