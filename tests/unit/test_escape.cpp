#include <catch2/catch.hpp>

#include "loader/escape.h"

using namespace probectl;

TEST_CASE("plain text and valid UTF-8 pass unchanged", "[escape]")
{
    CHECK(escape_for_terminal("/usr/bin/true --flag=1") == "/usr/bin/true --flag=1");
    CHECK(escape_for_terminal("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");
}

TEST_CASE("terminal escapes, controls and bidi overrides are shown, not obeyed", "[escape]")
{
    CHECK(escape_for_terminal("a\x1b[31mred") == "a\\x1b[31mred");           // CSI colour
    CHECK(escape_for_terminal("\x1b]0;title\x07") == "\\x1b]0;title\\x07");  // OSC title, BEL
    CHECK(escape_for_terminal("line\nnext\ttab\r") == "line\\nnext\\ttab\\r");
    CHECK(escape_for_terminal("back\\slash") == "back\\\\slash");
    CHECK(escape_for_terminal("del\x7f") == "del\\x7f");
    CHECK(escape_for_terminal("\xc2\x9b"
                              "31m") == "\\u{009b}31m");                              // C1 CSI
    CHECK(escape_for_terminal("evil\xe2\x80\xaetxt.exe") == "evil\\u{202e}txt.exe");  // RLO
    CHECK(escape_for_terminal("zero\xe2\x80\x8bwidth") == "zero\\u{200b}width");
}

TEST_CASE("invalid UTF-8 is shown byte by byte", "[escape]")
{
    CHECK(escape_for_terminal("a\xff"
                              "b") == "a\\xffb");
    CHECK(escape_for_terminal("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
    CHECK(escape_for_terminal("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // surrogate
    CHECK(escape_for_terminal("\xe2\x82") == "\\xe2\\x82");           // cut short
}

TEST_CASE("to_valid_utf8 keeps valid text and marks invalid bytes", "[escape]")
{
    CHECK(to_valid_utf8("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(to_valid_utf8("a\xff\xfe"
                        "b") == "a\\xff\\xfeb");
    CHECK(to_valid_utf8("\x1b[0m") == "\x1b[0m");  // valid: JSON escaping handles controls
}

// Found by tests/fuzz/fuzz_escape: U+061C, the Arabic letter mark, is a bidi mark like U+200F and
// went to the terminal raw.
TEST_CASE("the Arabic letter mark is shown escaped, like the other bidi marks", "[escape][fuzz-regression]")
{
    CHECK(escape_for_terminal("a\xd8\x9c!") == "a\\u{061c}!");
    // the fuzzer's input: stray continuation bytes, then the mark
    CHECK(escape_for_terminal("\xdc\xdc\xd8\x9c") == "\\xdc\\xdc\\u{061c}");
}

// Found by the hostile-input kernel test (tests/kernel/test_hostile.cpp): U+2028 and U+2029, the
// line and paragraph separators, went to the terminal raw; some terminals break the line there.
TEST_CASE("the line and paragraph separators are shown escaped", "[escape][hostile-regression]")
{
    CHECK(escape_for_terminal("a\xe2\x80\xa8"
                              "b") == "a\\u{2028}b");
    CHECK(escape_for_terminal("a\xe2\x80\xa9"
                              "b") == "a\\u{2029}b");
}
