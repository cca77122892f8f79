#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "loader/event_decode.h"
#include "probes/event.h"

using namespace probectl;

namespace {

pctl_event blank_event(std::uint32_t hook)
{
    pctl_event raw{};
    raw.hook = hook;
    raw.pid = 41;
    raw.tgid = 42;
    raw.ppid = 1;
    raw.missing = PCTL_MISSING_FILENAME | PCTL_MISSING_ARGV | PCTL_MISSING_RETVAL | PCTL_MISSING_OLD_PID;
    std::strcpy(raw.comm, "bash");
    return raw;
}

Expected<ExecEvent> decode(const pctl_event &raw)
{
    return decode_event(std::span(reinterpret_cast<const std::byte *>(&raw), sizeof(raw)));
}

}  // namespace

TEST_CASE("fields a hook could not fill decode as absent", "[decode]")
{
    auto event = decode(blank_event(PCTL_HOOK_KRETPROBE));
    REQUIRE(event);
    CHECK(event->comm == "bash");
    CHECK(event->tgid == 42);
    CHECK_FALSE(event->filename);
    CHECK_FALSE(event->argv);
    CHECK_FALSE(event->retval);
    CHECK_FALSE(event->old_pid);
}

TEST_CASE("filled fields decode with their values, argv bounded by argc", "[decode]")
{
    pctl_event raw = blank_event(PCTL_HOOK_TP_BTF);
    raw.missing = PCTL_MISSING_RETVAL;
    std::strcpy(raw.filename, "/bin/true");
    std::strcpy(raw.argv[0], "true");
    std::strcpy(raw.argv[1], "--version");
    std::strcpy(raw.argv[2], "left over from an earlier event");
    raw.argc = 2;
    raw.old_pid = 40;
    raw.truncated = PCTL_TRUNC_ARGC;
    auto event = decode(raw);
    REQUIRE(event);
    CHECK(event->filename == "/bin/true");
    CHECK(event->argv == std::vector<std::string>{"true", "--version"});
    CHECK(event->old_pid == 40u);
    CHECK(event->argv_truncated);
    CHECK_FALSE(event->filename_truncated);
}

TEST_CASE("strings without a terminating NUL stop at the buffer's end", "[decode]")
{
    pctl_event raw = blank_event(PCTL_HOOK_TRACEPOINT);
    raw.missing = 0;
    std::memset(raw.filename, 'a', sizeof(raw.filename));
    std::memset(raw.comm, 'c', sizeof(raw.comm));
    raw.argc = 1000;  // more than the array holds: clamped
    raw.retval = -2;
    raw.truncated = PCTL_TRUNC_FILENAME;
    auto event = decode(raw);
    REQUIRE(event);
    CHECK(event->filename->size() == PCTL_FILENAME_LEN);
    CHECK(event->comm.size() == PCTL_COMM_LEN);
    CHECK(event->argv->size() == PCTL_MAX_ARGS);
    CHECK(event->retval == -2);
    CHECK(event->filename_truncated);
}

TEST_CASE("records of the wrong size or hook are refused", "[decode]")
{
    pctl_event raw = blank_event(PCTL_HOOK_UPROBE);
    auto short_record = decode_event(std::span(reinterpret_cast<const std::byte *>(&raw), sizeof(raw) - 1));
    REQUIRE_FALSE(short_record);
    CHECK(short_record.error().message ==
          "ring buffer record of 2383 bytes, expected 2384 (exec) or 1712 (arguments)");
    raw.hook = 77;
    auto bad_hook = decode(raw);
    REQUIRE_FALSE(bad_hook);
    CHECK(bad_hook.error().message == "event with unknown hook id 77");
    raw.hook = 0;
    CHECK_FALSE(decode(raw));
    raw.hook = PCTL_HOOK_END;
    CHECK_FALSE(decode(raw));
    raw.hook = PCTL_HOOK_END - 1;  // the newest hook type's events decode
    CHECK(decode(raw));
}

TEST_CASE("a generic object's record: each argument's bits, string, and what befell its read", "[decode]")
{
    pctl_args_event raw{};
    raw.hook = PCTL_HOOK_TRACEPOINT;
    raw.pid = raw.tgid = 42;
    std::memcpy(raw.comm, "cat", 4);
    raw.read = 0b111;
    raw.faulted = 0b010;
    raw.truncated = 0b100;
    raw.values[0] = 0xffffff9c;
    raw.values[1] = 0x7ffd1000;
    std::memset(raw.strings[2], 'x', PCTL_VALUE_STR_LEN);  // no NUL: bounded by the buffer
    raw.has_retval = 1;
    raw.retval = -2;
    auto event = decode_event(std::span(reinterpret_cast<const std::byte *>(&raw), sizeof(raw)));
    REQUIRE(event);
    CHECK(event->comm == "cat");
    CHECK(event->retval == -2);
    CHECK_FALSE(event->filename);
    REQUIRE(event->values);
    REQUIRE(event->values->size() == PCTL_VALUES);
    CHECK((*event->values)[0].bits == 0xffffff9c);
    CHECK((*event->values)[1].faulted);
    CHECK((*event->values)[2].truncated);
    CHECK((*event->values)[2].text.size() == PCTL_VALUE_STR_LEN);
    CHECK_FALSE((*event->values)[3].read);
    raw.has_retval = 0;
    raw.hook = PCTL_HOOK_END;
    CHECK_FALSE(decode_event(std::span(reinterpret_cast<const std::byte *>(&raw), sizeof(raw))));
}
