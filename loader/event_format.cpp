#include "loader/event_format.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <ctime>
#include <iterator>

#include "loader/escape.h"

namespace probectl {
namespace {

double seconds_since(std::uint64_t first_ktime_ns, std::uint64_t ktime_ns)
{
    return ktime_ns >= first_ktime_ns ? static_cast<double>(ktime_ns - first_ktime_ns) / 1e9 : 0.0;
}

std::string argv_text(const ExecEvent &event, const TableStyle &style = {})
{
    if (!event.argv)
        return "-";
    std::string text;
    std::size_t shown = 0;
    for (const auto &arg : *event.argv) {
        if (style.max_args && shown == *style.max_args) {
            text += " ...";
            break;
        }
        if (!text.empty())
            text += ' ';
        text += style.quote_argv ? "\"" + escape_for_terminal(arg) + "\"" : escape_for_terminal(arg);
        shown++;
    }
    if (event.argv_truncated)
        text += " [truncated]";
    return text;
}

// An exec's return value: its errno by name when it failed in the kernel ("ENOENT"), else the number.
std::string exec_return_text(const ExecEvent &event, const TableStyle &style)
{
    if (!event.retval)
        return "-";
    if (style.errno_names && *event.retval < 0 && *event.retval > -4096)
        if (const char *name = strerrorname_np(static_cast<int>(-*event.retval)))
            return name;
    return fmt::format("{}", *event.retval);
}

void add_values_json(const ExecEvent &event, const ValueList &values, nlohmann::json &out)
{
    auto args = nlohmann::json::object();
    auto truncated = nlohmann::json::array();
    auto faulted = nlohmann::json::array();
    for (size_t i = 0; i < values.fields.size() && i < event.values->size(); i++) {
        const ValueField &field = values.fields[i];
        const RawValue &value = (*event.values)[i];
        args[field.name] = value_json(field, value);
        if (value.read && value.truncated && is_string(field.type))
            truncated.push_back(field.name);
        if (value.read && value.faulted)
            faulted.push_back(field.name);
    }
    out["args"] = std::move(args);
    out["args_truncated"] = std::move(truncated);
    out["args_faulted"] = std::move(faulted);
}

// The return value as its type says (an int's upper half is not its own); raw when untyped.
std::optional<RawValue> typed_return(const ExecEvent &event)
{
    if (!event.retval)
        return std::nullopt;
    RawValue value;
    value.bits = static_cast<std::uint64_t>(*event.retval);
    value.read = true;
    return value;
}

// A return value only as its description types it: a void function's register holds nothing.
std::string return_text(const ExecEvent &event, const ValueList &values)
{
    const auto ret = typed_return(event);
    return ret && values.ret ? value_text(*values.ret, *ret) : "-";
}

std::string values_text(const ExecEvent &event, const ValueList &values)
{
    std::string text;
    for (size_t i = 0; i < values.fields.size() && i < event.values->size(); i++) {
        if (!text.empty())
            text += ' ';
        text += values.fields[i].name + "=" + value_text(values.fields[i], (*event.values)[i]);
    }
    return text.empty() ? "-" : text;
}

}  // namespace

nlohmann::json event_to_json(const ExecEvent &event, std::string_view hook, std::string_view target,
                             std::uint64_t first_ktime_ns, const ValueList *values)
{
    nlohmann::json out;
    out["hook"] = to_valid_utf8(hook);
    out["target"] = to_valid_utf8(target);
    out["time_ns"] = event.ktime_ns;
    out["rel_s"] = seconds_since(first_ktime_ns, event.ktime_ns);
    out["cpu"] = event.cpu;
    out["pid"] = event.pid;
    out["tgid"] = event.tgid;
    out["ppid"] = event.ppid;
    out["uid"] = event.uid;
    out["gid"] = event.gid;
    out["comm"] = to_valid_utf8(event.comm);
    if (event.values && values) {
        const auto ret = typed_return(event);
        out["ret"] = !ret          ? nlohmann::json()
                     : values->ret ? value_json(*values->ret, *ret)
                                   : nlohmann::json(*event.retval);
        add_values_json(event, *values, out);
        return out;
    }
    out["filename"] = event.filename ? nlohmann::json(to_valid_utf8(*event.filename)) : nlohmann::json();
    out["filename_truncated"] = event.filename_truncated;
    if (event.argv) {
        auto argv = nlohmann::json::array();
        for (const auto &arg : *event.argv)
            argv.push_back(to_valid_utf8(arg));
        out["argv"] = std::move(argv);
    } else {
        out["argv"] = nullptr;
    }
    out["argv_truncated"] = event.argv_truncated;
    out["ret"] = event.retval ? nlohmann::json(*event.retval) : nlohmann::json();
    out["old_pid"] = event.old_pid ? nlohmann::json(*event.old_pid) : nlohmann::json();
    return out;
}

std::string json_line(const nlohmann::json &value)
{
    return value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

namespace {

template <class Integer> void append_integer(std::string &out, Integer value)
{
    char text[24];
    const char *end = std::to_chars(std::begin(text), std::end(text), value).ptr;
    out.append(text, static_cast<std::size_t>(end - text));
}

// As the JSON library writes a double: the shortest form that reads back, "0.0" for zero.
void null(std::string &out)
{
    out += "null";
}

void append_double(std::string &out, double value)
{
    char text[64];
    const char *end = nlohmann::detail::to_chars(std::begin(text), std::end(text), value);
    out.append(text, static_cast<std::size_t>(end - text));
}

}  // namespace

void append_event_json(std::string &out, const ExecEvent &event, std::string_view hook, std::string_view target,
                       std::uint64_t first_ktime_ns, const ValueList *values)
{
    if (event.values && values) {  // typed arguments: through the library
        out += json_line(event_to_json(event, hook, target, first_ktime_ns, values));
        return;
    }
    // event_to_json's keys, in the order the library writes an object's (sorted by bytes), each
    // with the comma before it: probectl's own names, nothing to escape.
    out += R"({"argv":)";
    if (event.argv) {
        out += '[';
        for (std::size_t i = 0; i < event.argv->size(); i++) {
            if (i > 0)
                out += ',';
            append_json_string(out, (*event.argv)[i]);
        }
        out += ']';
    } else {
        out += "null";
    }
    out += R"(,"argv_truncated":)";
    out += event.argv_truncated ? "true" : "false";
    out += R"(,"comm":)";
    append_json_string(out, event.comm);
    out += R"(,"cpu":)";
    append_integer(out, event.cpu);
    out += R"(,"filename":)";
    event.filename ? append_json_string(out, *event.filename) : null(out);
    out += R"(,"filename_truncated":)";
    out += event.filename_truncated ? "true" : "false";
    out += R"(,"gid":)";
    append_integer(out, event.gid);
    out += R"(,"hook":)";
    append_json_string(out, hook);
    out += R"(,"old_pid":)";
    event.old_pid ? append_integer(out, *event.old_pid) : null(out);
    out += R"(,"pid":)";
    append_integer(out, event.pid);
    out += R"(,"ppid":)";
    append_integer(out, event.ppid);
    out += R"(,"rel_s":)";
    append_double(out, seconds_since(first_ktime_ns, event.ktime_ns));
    out += R"(,"ret":)";
    event.retval ? append_integer(out, *event.retval) : null(out);
    out += R"(,"target":)";
    append_json_string(out, target);
    out += R"(,"tgid":)";
    append_integer(out, event.tgid);
    out += R"(,"time_ns":)";
    append_integer(out, event.ktime_ns);
    out += R"(,"uid":)";
    append_integer(out, event.uid);
    out += '}';
}

// The columns before the event's own fields: 58 of an 80-column terminal. The hook, CPU and thread
// id are in --json (attach names its one hook when it attaches; a thread's exec ends with its tid).
constexpr const char *kLeadingColumns = "{:<12} {:>7} {:>7} {:>5} {:<16} {:>6} ";

std::string table_header(bool arguments, const TableStyle &style)
{
    return fmt::format(fmt::runtime(kLeadingColumns), style.wall_clock_offset_ns ? "TIME" : "TIME(s)", "PID",
                       "PPID", "UID", "COMM", "RET") +
           (arguments ? "ARGUMENTS" : "FILENAME ARGV");
}

namespace {

// Seconds since the first event, or with -T the wall-clock time of day, to the millisecond.
std::string time_text(const ExecEvent &event, std::uint64_t first_ktime_ns, const TableStyle &style)
{
    if (!style.wall_clock_offset_ns)
        return fmt::format("{:.6f}", seconds_since(first_ktime_ns, event.ktime_ns));
    const std::int64_t wall_ns = static_cast<std::int64_t>(event.ktime_ns) + *style.wall_clock_offset_ns;
    const time_t seconds = wall_ns / 1'000'000'000;
    tm local{};
    localtime_r(&seconds, &local);
    return fmt::format("{:02}:{:02}:{:02}.{:03}", local.tm_hour, local.tm_min, local.tm_sec,
                       (wall_ns / 1'000'000) % 1000);
}

std::string leading_columns(const ExecEvent &event, std::uint64_t first_ktime_ns, const std::string &ret,
                            const TableStyle &style)
{
    return fmt::format(fmt::runtime(kLeadingColumns), time_text(event, first_ktime_ns, style), event.tgid,
                       event.ppid, event.uid, escape_for_terminal(event.comm), ret);
}

// What ends a row: the thread, when not the process's leader; the function that fired, for a hook on many.
std::string row_end(const ExecEvent &event, std::string_view site)
{
    return (event.pid != event.tgid ? fmt::format("  [tid {}]", event.pid) : "") +
           (site.empty() ? "" : fmt::format("  [at {}]", site));
}

}  // namespace

std::string table_row(const ExecEvent &event, std::uint64_t first_ktime_ns, const ValueList &values,
                      std::string_view site, const TableStyle &style)
{
    return leading_columns(event, first_ktime_ns, return_text(event, values), style) +
           (event.values ? values_text(event, values) : "-") + row_end(event, site);
}

std::string table_row(const ExecEvent &event, std::uint64_t first_ktime_ns, std::string_view site,
                      const TableStyle &style)
{
    std::string filename = event.filename ? escape_for_terminal(*event.filename) : "-";
    if (event.filename_truncated)
        filename += "[truncated]";
    return leading_columns(event, first_ktime_ns, exec_return_text(event, style), style) + filename + " " +
           argv_text(event, style) + row_end(event, site);
}

}  // namespace probectl
