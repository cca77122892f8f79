// How attach prints events: an aligned table with times relative to the first event, or NDJSON.
#pragma once

#include "loader/event_decode.h"
#include "loader/value_spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace probectl {

// One event as a JSON object (strings made valid UTF-8; missing fields are null). A generic event
// (values set) has "args": {name: typed value}, with the names of cut and faulted strings listed.
nlohmann::json event_to_json(const ExecEvent &event, std::string_view hook, std::string_view target,
                             std::uint64_t first_ktime_ns, const ValueList *values = nullptr);
// Serialised on one line, non-ASCII and control characters escaped: safe for any terminal.
std::string json_line(const nlohmann::json &value);
// json_line(event_to_json(...)) appended to out, byte for byte, without building the JSON object
// for an exec object's event (the keys in the library's order, its number and string forms): what
// attach --json writes for each event. A generic event goes through the library.
void append_event_json(std::string &out, const ExecEvent &event, std::string_view hook, std::string_view target,
                       std::uint64_t first_ktime_ns, const ValueList *values = nullptr);

// How attach's table shows an exec, as execsnoop's options ask: -T, -q, --max-args.
struct TableStyle {
    // -T: the wall-clock time (HH:MM:SS.mmm) instead of seconds since the first event; the offset
    // from CLOCK_MONOTONIC (the events' clock) to CLOCK_REALTIME, in the local time zone
    std::optional<std::int64_t> wall_clock_offset_ns;
    bool quote_argv = false;              // -q: each argument in double quotes
    std::optional<std::size_t> max_args;  // --max-args N: the first N arguments, then "..."
    bool errno_names = false;  // a kernel's return: -2 is ENOENT (libc's execve returns -1, errno aside)
};

// The table's columns (TIME PID PPID UID COMM RET, 58 columns); a generic capture's table ends in
// its arguments, not FILENAME and ARGV.
std::string table_header(bool arguments = false, const TableStyle &style = {});
// site: for a hook on many functions, the one that fired ("[at bprm_execve]" ends the row); a
// thread's event also ends in its thread id ("[tid 1234]"). RET: a negative errno by its name.
std::string table_row(const ExecEvent &event, std::uint64_t first_ktime_ns, std::string_view site = {},
                      const TableStyle &style = {});
// A generic event's row: "name=value" for each argument of the list it was attached with.
std::string table_row(const ExecEvent &event, std::uint64_t first_ktime_ns, const ValueList &values,
                      std::string_view site = {}, const TableStyle &style = {});

}  // namespace probectl
