#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "loader/event_format.h"

using namespace probectl;

namespace {

ExecEvent hostile_event()
{
    ExecEvent event;
    event.hook = 5;
    event.ktime_ns = 2'500'000'000;
    event.pid = event.tgid = 100;
    event.ppid = 99;
    event.comm = "sh";
    event.filename = std::string("/tmp/\x1b]0;owned\x07\xff");
    event.argv = std::vector<std::string>{"x", "\xe2\x80\xae"
                                               "cod.exe"};
    return event;
}

}  // namespace

TEST_CASE("NDJSON lines are valid JSON, ASCII only, with nulls for what the hook missed", "[format]")
{
    const std::string line =
        json_line(event_to_json(hostile_event(), "tracepoint", "syscalls:sys_enter_execve", 1'000'000'000));
    for (unsigned char c : line)
        CHECK((c >= 0x20 && c < 0x7f));
    auto parsed = nlohmann::json::parse(line);
    CHECK(parsed["hook"] == "tracepoint");
    CHECK(parsed["rel_s"] == 1.5);
    CHECK(parsed["filename"] == "/tmp/\x1b]0;owned\x07\\xff");
    CHECK(parsed["argv"][1] == "\xe2\x80\xae"
                               "cod.exe");
    CHECK(parsed["ret"].is_null());
    CHECK(parsed["old_pid"].is_null());
    CHECK(parsed["argv_truncated"] == false);
}

TEST_CASE("attach --json's lines, written directly, are the JSON library's byte for byte", "[format]")
{
    // Random events: strings of random bytes (controls, quotes, backslashes, invalid UTF-8, code
    // points past 0xFFFF), each field present or not, numbers at their extremes.
    std::mt19937_64 random(20261201);
    const auto pick = [&](std::uint64_t below) { return random() % below; };
    const std::vector<std::string> pieces{"a",          "\"",           "\\",
                                          "\n",         "\x01",         "\x7f",
                                          "\xc3\xa9",   "\xe2\x80\xae", "\xf0\x9f\x98\x80",
                                          "\xff",       "\xc3",         "/",
                                          "\t\b\f\r",   "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                          "long text ", "\x1b[2J"};
    const auto text = [&] {
        std::string out;
        for (std::uint64_t n = pick(12); n > 0; n--)
            out += pieces[pick(pieces.size())];
        return out;
    };
    const std::vector<std::uint64_t> numbers{
        0, 1, 4095, 4294967295ULL, 18446744073709551615ULL, 1000000000ULL, 123456789012345ULL};
    for (int i = 0; i < 2000; i++) {
        ExecEvent event;
        event.hook = static_cast<std::uint32_t>(pick(16));
        event.ktime_ns = numbers[pick(numbers.size())] + pick(1000000000);
        event.cpu = static_cast<std::uint32_t>(numbers[pick(numbers.size())]);
        event.pid = static_cast<std::uint32_t>(pick(5000000));
        event.tgid = static_cast<std::uint32_t>(numbers[pick(numbers.size())]);
        event.ppid = static_cast<std::uint32_t>(pick(100));
        event.uid = static_cast<std::uint32_t>(numbers[pick(numbers.size())]);
        event.gid = static_cast<std::uint32_t>(pick(70000));
        event.comm = text();
        if (pick(4))
            event.filename = text();
        if (pick(4)) {
            event.argv.emplace();
            for (std::uint64_t n = pick(5); n > 0; n--)
                event.argv->push_back(text());
        }
        if (pick(2))
            event.retval = pick(2) ? -static_cast<std::int64_t>(pick(4096)) : static_cast<std::int64_t>(random());
        if (pick(2))
            event.old_pid = static_cast<std::uint32_t>(pick(100000));
        event.filename_truncated = pick(2);
        event.argv_truncated = pick(2);
        const std::uint64_t first =
            pick(3) ? event.ktime_ns - std::min(event.ktime_ns, pick(100000000000ULL)) : event.ktime_ns + 1;
        const std::string hook = pick(2) ? "kprobe" : "uprobe.multi";
        const std::string target = text();
        std::string line;
        append_event_json(line, event, hook, target, first);
        INFO("event " << i);
        REQUIRE(line == json_line(event_to_json(event, hook, target, first)));
    }
}

TEST_CASE("table rows escape hostile bytes and mark what is missing", "[format]")
{
    ExecEvent event = hostile_event();
    event.retval = -2;
    const std::string row = table_row(event, 2'000'000'000);
    CHECK(row.find('\x1b') == std::string::npos);
    CHECK(row.find("/tmp/\\x1b]0;owned\\x07\\xff") != std::string::npos);
    CHECK(row.find("x \\u{202e}cod.exe") != std::string::npos);
    CHECK(row.rfind("0.500000", 0) == 0);
    CHECK(row.find(" -2 ") != std::string::npos);

    event.argv.reset();
    event.filename.reset();
    const std::string bare = table_row(event, 2'000'000'000);
    CHECK(bare.substr(bare.size() - 4) == " - -");
    // A hook on many functions names the one that fired at the end of the row.
    const std::string at_site = table_row(event, 2'000'000'000, "bprm_execve");
    CHECK(at_site.ends_with(" - -  [at bprm_execve]"));
}

TEST_CASE("the table's columns fit 80 with room for the file name, a thread's row ends in its tid", "[format]")
{
    ExecEvent event = hostile_event();
    event.comm = "bash";
    event.filename = "/bin/true";
    event.argv = std::vector<std::string>{"true", "x"};
    event.tgid = 1234;
    event.pid = 1234;
    event.ppid = 99;
    const std::string header = table_header();
    CHECK(header == "TIME(s)          PID    PPID   UID COMM                RET FILENAME ARGV");
    const std::string row = table_row(event, 2'000'000'000);
    CHECK(row == "0.500000        1234      99     0 bash                  - /bin/true true x");
    CHECK(row.find("/bin/true") == header.find("FILENAME"));
    event.pid = 1240;  // a second thread's exec
    CHECK(table_row(event, 2'000'000'000).ends_with("true x  [tid 1240]"));
    CHECK(table_header(true).ends_with("RET ARGUMENTS"));
}

TEST_CASE("execsnoop's conventions: -T time of day, -q quotes, --max-args, a kernel's errno by name", "[format]")
{
    ExecEvent event = hostile_event();
    event.argv = std::vector<std::string>{"ls", "-l", "a b"};
    event.filename = "/bin/ls";
    event.retval = -2;
    TableStyle style;
    style.quote_argv = true;
    style.max_args = 2;
    style.errno_names = true;
    // 2.5 s after the epoch's midnight, in UTC
    setenv("TZ", "UTC", 1);
    tzset();
    style.wall_clock_offset_ns = 0;
    const std::string row = table_row(event, 0, {}, style);
    CHECK(row.starts_with("00:00:02.500 "));
    CHECK(row.ends_with(" ENOENT /bin/ls \"ls\" \"-l\" ..."));
    CHECK(table_header(false, style).starts_with("TIME        "));
    style.errno_names = false;  // libc's execve: -1, the errno aside
    event.retval = -1;
    CHECK(table_row(event, 0, {}, style).find("     -1 /bin/ls") != std::string::npos);
}
