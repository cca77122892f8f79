// The C++ view of one pctl_event: owned strings, optional fields for what the hook could not see.
#pragma once

#include "loader/error.h"
#include "loader/value_spec.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace probectl {

struct ExecEvent {
    std::uint32_t hook = 0;  // enum pctl_hook
    std::uint64_t ktime_ns = 0;
    std::uint32_t cpu = 0;
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t ppid = 0;
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::string comm;
    std::optional<std::string> filename;  // raw bytes, as the kernel handed them
    std::optional<std::vector<std::string>> argv;
    std::optional<std::int64_t> retval;
    std::optional<std::uint32_t> old_pid;
    bool filename_truncated = false;
    bool argv_truncated = false;  // more arguments than captured, or an argument cut short
    std::uint32_t site = 0;       // a hook on many attach points: which one fired, from 1; else 0
    // A generic object's event (any attach point): each described argument's value, in the order
    // of the ValueList it was attached with; nullopt for an exec object's event.
    std::optional<std::vector<RawValue>> values;
};

// Decodes one ring-buffer record: an exec object's pctl_event or a generic object's pctl_args_event
// (told apart by size). Fails (ErrorKind::internal) on a record of another size or an unknown hook
// id: the two sides disagree about event.h.
Expected<ExecEvent> decode_event(std::span<const std::byte> record);

}  // namespace probectl
