#include <catch2/catch.hpp>

#include "loader/text.h"

using probectl::indent;
using probectl::split;
using probectl::trim;

TEST_CASE("split keeps empty pieces and the text after the last separator", "[text]")
{
    CHECK(split("a,b", ',') == std::vector<std::string>{"a", "b"});
    CHECK(split("a,,b,", ',') == std::vector<std::string>{"a", "", "b", ""});
    CHECK(split("", ':') == std::vector<std::string>{""});
    CHECK(split("/usr/bin", ':') == std::vector<std::string>{"/usr/bin"});
}

TEST_CASE("trim drops blanks at both ends, indent prefixes every line", "[text]")
{
    CHECK(trim("  a b \n\t") == "a b");
    CHECK(trim(" \n ").empty());
    CHECK(indent("one\ntwo\n", "  ") == "  one\n  two\n");
    CHECK(indent("one", "> ") == "> one\n");
    CHECK(indent("", "  ").empty());
}

TEST_CASE("wrap folds at spaces within the width, a longer word whole on its line", "[text]")
{
    CHECK(probectl::wrap("one two three", 9, "", "  ") == "one two\n  three\n");
    CHECK(probectl::wrap("one two", 80, "    (", "     ") == "    (one two\n");
    CHECK(probectl::wrap("a_very_long_word b", 6, "", "") == "a_very_long_word\nb\n");
    CHECK(probectl::wrap("", 10, "> ", "  ") == "> \n");
    CHECK(probectl::wrap("libc:execve,execv,execvp", 16, "", "  ") == "libc:execve,\n  execv,execvp\n");
}
