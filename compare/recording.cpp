#include "compare/recording.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "loader/escape.h"

namespace probectl::compare {
namespace {

using nlohmann::json;

// Event strings are raw bytes from the traced processes. Valid UTF-8 is stored as a JSON string;
// anything else as {"hex": "..."}, so a replay gets back exactly the bytes that were captured.
json bytes_to_json(const std::string &bytes)
{
    if (to_valid_utf8(bytes) == bytes)
        return bytes;
    std::string hex;
    for (unsigned char c : bytes)
        hex += fmt::format("{:02x}", c);
    return json{{"hex", hex}};
}

std::string bytes_from_json(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    const std::string hex = value.at("hex").get<std::string>();
    if (hex.size() % 2 != 0)
        throw std::invalid_argument("a hex string of odd length");
    std::string bytes;
    for (size_t i = 0; i < hex.size(); i += 2)
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return bytes;
}

template <class T> json optional_json(const std::optional<T> &value)
{
    return value ? json(*value) : json();
}

// An integer field, refused unless it is a JSON integer that fits T: nlohmann's get<T>() would
// convert 4e98 or -1 by a cast (undefined for a float out of range; found by tests/fuzz/fuzz_replay).
template <class T> T integer_at(const json &object, const char *key)
{
    const json &value = object.at(key);
    if (value.is_number_unsigned()) {
        if (const auto n = value.get<std::uint64_t>(); std::in_range<T>(n))
            return static_cast<T>(n);
    } else if (value.is_number_integer()) {
        if (const auto n = value.get<std::int64_t>(); std::in_range<T>(n))
            return static_cast<T>(n);
    }
    throw std::invalid_argument(fmt::format("\"{}\" is {}, not an integer in range", key, value.dump()));
}

template <class T> std::optional<T> optional_from(const json &object, const char *key)
{
    if (!object.contains(key) || object.at(key).is_null())
        return std::nullopt;
    return integer_at<T>(object, key);
}

// Parses with nlohmann's checked accessors; a malformed file becomes one error that says where.
template <class T, class Parse> Expected<T> parse_checked(const char *what, Parse parse)
{
    try {
        return parse();
    } catch (const std::exception &e) {
        return fail(ErrorKind::bad_file, fmt::format("not a probectl recording: {}: {}", what, e.what()),
                    "record one with probectl compare --record FILE");
    }
}

json field_to_json(const ValueField &field)
{
    return {{"name", field.name}, {"c_type", field.c_type}, {"type", value_type_name(field.type)},
            {"size", field.size}, {"width", field.width},   {"where", field.where}};
}

ValueField field_from_json(const json &value)
{
    ValueField field;
    field.name = value.at("name").get<std::string>();
    field.c_type = value.at("c_type").get<std::string>();
    const auto type = value_type_from_name(value.at("type").get<std::string>());
    if (!type)
        throw std::invalid_argument(fmt::format("value {}: unknown type {}", field.name, value.at("type").dump()));
    field.type = *type;
    field.size = integer_at<std::uint32_t>(value, "size");
    field.width = integer_at<std::uint32_t>(value, "width");
    field.where = integer_at<std::uint32_t>(value, "where");
    return field;
}

json values_to_json(const ValueList &values)
{
    json fields = json::array();
    for (const auto &field : values.fields)
        fields.push_back(field_to_json(field));
    return {{"source", values.source},
            {"fields", std::move(fields)},
            {"ret", values.ret ? field_to_json(*values.ret) : json()},
            {"unread", values.unread}};
}

ValueList values_from_json(const json &value)
{
    ValueList values;
    values.source = value.at("source").get<std::string>();
    for (const auto &field : value.at("fields"))
        values.fields.push_back(field_from_json(field));
    if (!value.at("ret").is_null())
        values.ret = field_from_json(value.at("ret"));
    values.unread = value.at("unread").get<std::vector<std::string>>();
    return values;
}

// A generic event's values: each as its bits, whether it was read, and a string's bytes.
json raw_values_to_json(const std::vector<RawValue> &values)
{
    json out = json::array();
    for (const auto &value : values) {
        json v{{"bits", value.bits}, {"read", value.read}};
        if (!value.text.empty())
            v["text"] = bytes_to_json(value.text);
        if (value.faulted)
            v["faulted"] = true;
        if (value.truncated)
            v["truncated"] = true;
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<RawValue> raw_values_from_json(const json &value)
{
    std::vector<RawValue> values;
    for (const auto &v : value) {
        RawValue raw;
        raw.bits = integer_at<std::uint64_t>(v, "bits");
        raw.read = v.at("read").get<bool>();
        if (v.contains("text"))
            raw.text = bytes_from_json(v.at("text"));
        raw.faulted = v.value("faulted", false);
        raw.truncated = v.value("truncated", false);
        values.push_back(std::move(raw));
    }
    return values;
}

}  // namespace

json to_json(const ExecEvent &event)
{
    json out{{"hook", event.hook}, {"ktime_ns", event.ktime_ns}, {"cpu", event.cpu},
             {"pid", event.pid},   {"tgid", event.tgid},         {"ppid", event.ppid},
             {"uid", event.uid},   {"gid", event.gid},           {"comm", bytes_to_json(event.comm)}};
    out["filename"] = event.filename ? bytes_to_json(*event.filename) : json();
    if (event.argv) {
        out["argv"] = json::array();
        for (const auto &arg : *event.argv)
            out["argv"].push_back(bytes_to_json(arg));
    } else {
        out["argv"] = nullptr;
    }
    out["retval"] = optional_json(event.retval);
    out["old_pid"] = optional_json(event.old_pid);
    out["filename_truncated"] = event.filename_truncated;
    out["argv_truncated"] = event.argv_truncated;
    if (event.site != 0)  // a hook on many functions: which one fired
        out["site"] = event.site;
    if (event.values)  // a generic capture: an event other than execve
        out["values"] = raw_values_to_json(*event.values);
    return out;
}

Expected<ExecEvent> event_from_json(const json &value)
{
    return parse_checked<ExecEvent>("event", [&] {
        ExecEvent event;
        event.hook = integer_at<std::uint32_t>(value, "hook");
        event.ktime_ns = integer_at<std::uint64_t>(value, "ktime_ns");
        event.cpu = integer_at<std::uint32_t>(value, "cpu");
        event.pid = integer_at<std::uint32_t>(value, "pid");
        event.tgid = integer_at<std::uint32_t>(value, "tgid");
        event.ppid = integer_at<std::uint32_t>(value, "ppid");
        event.uid = integer_at<std::uint32_t>(value, "uid");
        event.gid = integer_at<std::uint32_t>(value, "gid");
        event.comm = bytes_from_json(value.at("comm"));
        if (!value.at("filename").is_null())
            event.filename = bytes_from_json(value.at("filename"));
        if (!value.at("argv").is_null()) {
            std::vector<std::string> argv;
            for (const auto &arg : value.at("argv"))
                argv.push_back(bytes_from_json(arg));
            event.argv = std::move(argv);
        }
        event.retval = optional_from<std::int64_t>(value, "retval");
        event.old_pid = optional_from<std::uint32_t>(value, "old_pid");
        event.filename_truncated = value.value("filename_truncated", false);
        event.argv_truncated = value.value("argv_truncated", false);
        if (value.contains("site"))  // recordings before hooks on many functions have none
            event.site = integer_at<std::uint32_t>(value, "site");
        if (value.contains("values"))
            event.values = raw_values_from_json(value.at("values"));
        return event;
    });
}

json to_json(const KnownExec &exec)
{
    json out{{"id", exec.id},
             {"scenario", exec.scenario},
             {"description", exec.description},
             {"tgid", exec.tgid},
             {"tid", exec.tid},
             {"start_ns", exec.start_ns},
             {"end_ns", exec.end_ns},
             {"syscall", exec.syscall},
             {"raw_syscall", exec.raw_syscall},
             {"unseen", exec.unseen},
             {"created", exec.created},
             {"path", bytes_to_json(exec.path)},
             {"argv", json::array()},
             {"error", optional_json(exec.error)},
             {"uid", exec.uid},
             {"argv_over_limit", exec.argv_over_limit}};
    for (const auto &arg : exec.argv)
        out["argv"].push_back(bytes_to_json(arg));
    return out;
}

Expected<KnownExec> exec_from_json(const json &value)
{
    return parse_checked<KnownExec>("exec", [&] {
        KnownExec exec;
        exec.id = value.at("id").get<std::string>();
        exec.scenario = value.at("scenario").get<std::string>();
        exec.description = value.at("description").get<std::string>();
        exec.tgid = integer_at<std::uint32_t>(value, "tgid");
        exec.tid = integer_at<std::uint32_t>(value, "tid");
        exec.start_ns = integer_at<std::uint64_t>(value, "start_ns");
        exec.end_ns = integer_at<std::uint64_t>(value, "end_ns");
        exec.syscall = value.at("syscall").get<std::string>();
        exec.raw_syscall = value.value("raw_syscall", false);
        if (value.contains("unseen"))
            exec.unseen = value.at("unseen").get<std::map<std::string, std::string>>();
        if (value.contains("created"))
            exec.created = integer_at<std::uint32_t>(value, "created");
        exec.path = bytes_from_json(value.at("path"));
        for (const auto &arg : value.at("argv"))
            exec.argv.push_back(bytes_from_json(arg));
        exec.error = optional_from<int>(value, "error");
        exec.uid = integer_at<std::uint32_t>(value, "uid");
        exec.argv_over_limit = value.value("argv_over_limit", false);
        return exec;
    });
}

json to_json(const Recording &recording)
{
    json hooks = json::array();
    for (const auto &hook : recording.hooks) {
        hooks.push_back({{"id", hook.id},
                         {"name", hook.name},
                         {"phase", phase_name(hook.phase)},
                         {"kind", target_kind_name(hook.kind)},
                         {"attached", hook.attached},
                         {"attach_point", hook.attach_point},
                         {"note", hook.note},
                         {"not_attached", hook.not_attached},
                         {"entry_call", hook.entry_call},
                         {"filename_from", hook.filename_from},
                         {"argv_from", hook.argv_from},
                         {"emitted", hook.emitted},
                         {"dropped", hook.dropped},
                         {"run_count", optional_json(hook.run_count)},
                         {"run_time_ns", optional_json(hook.run_time_ns)},
                         {"recursion_misses", optional_json(hook.recursion_misses)}});
        if (hook.values)
            hooks.back()["values"] = values_to_json(*hook.values);
    }
    json execs = json::array();
    for (const auto &exec : recording.execs)
        execs.push_back(to_json(exec));
    json events = json::array();
    for (const auto &event : recording.events)
        events.push_back(to_json(event));
    json facts = nullptr;
    if (const auto &f = recording.facts)
        facts = {{"config_source", f->config_source},
                 {"config", f->config},
                 {"btf", f->btf},
                 {"prototypes", f->prototypes}};
    return {{"probectl_recording", Recording::kFormatVersion},
            {"kernel", recording.kernel},
            {"probectl_version", recording.probectl_version},
            {"emulated", recording.emulated},
            {"kernel_facts", std::move(facts)},
            {"event", recording.event},
            {"workload", recording.workload},
            {"execs_known", recording.execs_known},
            {"hooks", std::move(hooks)},
            {"execs", std::move(execs)},
            {"events", std::move(events)}};
}

Expected<Recording> recording_from_json(const json &value)
{
    auto recording = parse_checked<Recording>("header", [&] {
        if (!value.is_object() || !value.contains("probectl_recording"))
            throw std::invalid_argument("no \"probectl_recording\" version field");
        const int version = integer_at<int>(value, "probectl_recording");
        if (version < 1 || version > Recording::kFormatVersion)
            throw std::invalid_argument(
                fmt::format("format version {}, this probectl reads 1 to {}", version, Recording::kFormatVersion));
        Recording out;
        out.kernel = value.at("kernel").get<std::string>();
        if (version >= 3) {
            out.probectl_version = value.at("probectl_version").get<std::string>();
            out.emulated = value.at("emulated").get<bool>();
        }
        if (version >= 4 && !value.at("kernel_facts").is_null()) {
            const json &f = value.at("kernel_facts");
            out.facts = KernelFacts{
                f.at("config_source").get<std::string>(), f.at("config").get<std::map<std::string, std::string>>(),
                f.at("btf").get<bool>(), f.at("prototypes").get<std::map<std::string, std::string>>()};
        }
        out.event = value.value("event", "execve");  // recordings before issue 16 compared execve only
        out.workload = value.at("workload").get<std::string>();
        out.execs_known = value.at("execs_known").get<bool>();
        for (const auto &hook : value.at("hooks")) {
            HookRun run;
            run.id = integer_at<std::uint32_t>(hook, "id");
            run.name = hook.at("name").get<std::string>();
            const auto phase = phase_from_name(hook.at("phase").get<std::string>());
            const auto kind = target_kind_from_name(hook.at("kind").get<std::string>());
            if (!phase || !kind)
                throw std::invalid_argument(fmt::format("hook {}: unknown phase or kind", run.name));
            run.phase = *phase;
            run.kind = *kind;
            run.attached = hook.at("attached").get<bool>();
            run.attach_point = hook.at("attach_point").get<std::string>();
            run.note = hook.at("note").get<std::string>();
            run.not_attached = hook.at("not_attached").get<std::string>();
            run.entry_call = hook.at("entry_call").get<std::string>();
            run.filename_from = hook.at("filename_from").get<std::string>();
            run.argv_from = hook.at("argv_from").get<std::string>();
            run.emitted = integer_at<std::uint64_t>(hook, "emitted");
            run.dropped = integer_at<std::uint64_t>(hook, "dropped");
            run.run_count = optional_from<std::uint64_t>(hook, "run_count");
            run.run_time_ns = optional_from<std::uint64_t>(hook, "run_time_ns");
            run.recursion_misses = optional_from<std::uint64_t>(hook, "recursion_misses");
            if (hook.contains("values") && !hook.at("values").is_null())
                run.values = values_from_json(hook.at("values"));
            for (const auto &seen : out.hooks)
                if (seen.id == run.id)  // the report counts each hook's events once, by its id
                    throw std::invalid_argument(fmt::format("hook id {} is listed twice", run.id));
            out.hooks.push_back(std::move(run));
        }
        return out;
    });
    if (!recording)
        return recording;
    try {
        for (const auto &exec : value.at("execs")) {
            auto parsed = exec_from_json(exec);
            if (!parsed)
                return std::unexpected(parsed.error());
            recording->execs.push_back(std::move(*parsed));
        }
        for (const auto &event : value.at("events")) {
            auto parsed = event_from_json(event);
            if (!parsed)
                return std::unexpected(parsed.error());
            recording->events.push_back(std::move(*parsed));
        }
    } catch (const std::exception &e) {
        return fail(ErrorKind::bad_file, fmt::format("not a probectl recording: {}", e.what()),
                    "record one with probectl compare --record FILE");
    }
    return recording;
}

Expected<void> write_recording(const std::string &path, const Recording &recording)
{
    std::ofstream out(path);
    if (!out)
        return fail(ErrorKind::bad_file, fmt::format("cannot write the recording to {}", path),
                    "give a path in a folder that exists and is writable");
    out << to_json(recording).dump(1) << "\n";
    if (!out.flush())
        return fail(ErrorKind::bad_file, fmt::format("writing the recording to {} failed", path));
    return {};
}

Expected<Recording> read_recording(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        return fail(ErrorKind::bad_file, fmt::format("cannot read the recording {}", path),
                    "give a file written by probectl compare --record");
    json value = json::parse(in, nullptr, false);
    if (value.is_discarded())
        return fail(ErrorKind::bad_file, fmt::format("{} is not JSON", path),
                    "give a file written by probectl compare --record");
    auto recording = recording_from_json(value);
    if (!recording)
        return fail(ErrorKind::bad_file, fmt::format("{}: {}", path, recording.error().message),
                    recording.error().hint);
    return recording;
}

}  // namespace probectl::compare
