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

std::string bounded_string(const char *text, size_t capacity)
{
    return std::string(text, strnlen(text, capacity));
}

}  // namespace

Expected<ExecEvent> decode_event(std::span<const std::byte> record)
{
    if (record.size() != sizeof(pctl_event))
        return fail(ErrorKind::internal,
                    fmt::format("ring buffer record of {} bytes, expected {}", record.size(), sizeof(pctl_event)));
    pctl_event raw;
    std::memcpy(&raw, record.data(), sizeof(raw));
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
    event.site = raw.site;
    event.filename_truncated = raw.truncated & PCTL_TRUNC_FILENAME;
    event.argv_truncated = raw.truncated & (PCTL_TRUNC_ARGC | PCTL_TRUNC_ARG);
    return event;
}

}  // namespace probectl
