// Why a hook did not see an occurrence of the event (an exec, a syscall's call), in words, derived
// from what the hook is, where it was attached, and what the occurrence did. Empty when probectl
// cannot say: such an absence is reported as unexplained.
#pragma once

#include "compare/recording.h"

#include <string>
#include <string_view>

namespace probectl::compare {

// event: the recording's ("execve", "openat").
std::string absence_cause(const HookRun &hook, const KnownExec &occurrence, std::string_view event);

// "ENOENT", or "errno 77" for a value libc has no name for.
std::string errno_name(int err);

}  // namespace probectl::compare
