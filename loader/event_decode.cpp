#include "loader/event_decode.h"

#include <fmt/format.h>

#include <cstddef>
#include <cstring>

#include "probes/event.h"

namespace probectl {
namespace {

// The layout both sides compile: a change to event.h that moves a field breaks the build here.
static_assert(sizeof(pctl_event) == 64 + PCTL_COMM_LEN + PCTL_FILENAME_LEN + PCTL_MAX_ARGS * PCTL_ARG_LEN);
static_assert(offsetof(pctl_event, retval) == 8);
static_assert(offsetof(pctl_event, hook) == 16);
static_assert(offsetof(pctl_event, comm) == 64);
static_assert(sizeof(pctl_args_event) == 80 + PCTL_VALUES * (8 + PCTL_VALUE_STR_LEN));
static_assert(offsetof(pctl_args_event, comm) == 64);
static_assert(sizeof(pctl_args_event) != sizeof(pctl_event));
static_assert(PCTL_VALUES <= 32, "the read, faulted and truncated masks have 32 bits");

std::string bounded_string(const char *text, size_t capacity)
{
    return std::string(text, strnlen(text, capacity));
}

// The task fields both records start with.
template <class Record> Expected<ExecEvent> decode_task(const Record &raw)
{
    if (raw.hook == 0 || raw.hook >= PCTL_HOOK_END)
        return fail(ErrorKind::internal, fmt::format("event with unknown hook id {}", raw.hook));
    ExecEvent event;
    event.hook = raw.hook;
    event.ktime_ns = raw.ktime_ns;
    event.cpu = raw.cpu;
    event.pid = raw.pid;
    event.tgid = raw.tgid;
    event.ppid = raw.ppid;
    event.uid = raw.uid;
    event.gid = raw.gid;
    event.comm = bounded_string(raw.comm, sizeof(raw.comm));
    event.site = raw.site;
    return event;
}

Expected<ExecEvent> decode_args_event(std::span<const std::byte> record)
{
    pctl_args_event raw;
    std::memcpy(&raw, record.data(), sizeof(raw));
    auto event = decode_task(raw);
    if (!event)
        return event;
    if (raw.has_retval)
        event->retval = raw.retval;
    std::vector<RawValue> values(PCTL_VALUES);
    for (std::uint32_t i = 0; i < PCTL_VALUES; i++) {
        const std::uint32_t bit = 1u << i;
        values[i].read = raw.read & bit;
        values[i].faulted = raw.faulted & bit;
        values[i].truncated = raw.truncated & bit;
        values[i].bits = raw.values[i];
        values[i].text = bounded_string(raw.strings[i], PCTL_VALUE_STR_LEN);
    }
    event->values = std::move(values);
    return event;
}

}  // namespace

Expected<ExecEvent> decode_event(std::span<const std::byte> record)
{
    if (record.size() == sizeof(pctl_args_event))
        return decode_args_event(record);
    if (record.size() != sizeof(pctl_event))
        return fail(ErrorKind::internal,
                    fmt::format("ring buffer record of {} bytes, expected {} (exec) or {} (arguments)",
                                record.size(), sizeof(pctl_event), sizeof(pctl_args_event)));
    pctl_event raw;
    std::memcpy(&raw, record.data(), sizeof(raw));
    auto decoded = decode_task(raw);
    if (!decoded)
        return decoded;
    ExecEvent &event = *decoded;
    if (!(raw.missing & PCTL_MISSING_FILENAME))
        event.filename = bounded_string(raw.filename, sizeof(raw.filename));
    if (!(raw.missing & PCTL_MISSING_ARGV)) {
        std::vector<std::string> argv;
        const uint32_t argc = std::min<uint32_t>(raw.argc, PCTL_MAX_ARGS);
        for (uint32_t i = 0; i < argc; i++)
            argv.push_back(bounded_string(raw.argv[i], PCTL_ARG_LEN));
        event.argv = std::move(argv);
    }
    if (!(raw.missing & PCTL_MISSING_RETVAL))
        event.retval = raw.retval;
    if (!(raw.missing & PCTL_MISSING_OLD_PID))
        event.old_pid = raw.old_pid;
    event.filename_truncated = raw.truncated & PCTL_TRUNC_FILENAME;
    event.argv_truncated = raw.truncated & (PCTL_TRUNC_ARGC | PCTL_TRUNC_ARG);
    return decoded;
}

}  // namespace probectl
