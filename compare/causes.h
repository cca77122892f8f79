// Why a hook did not see an exec, in words, derived from what the hook is, where it was attached,
// and what the exec did. Empty when probectl cannot say: such an absence is reported as unexplained.
#pragma once

#include "compare/recording.h"

#include <string>

namespace probectl::compare {

std::string absence_cause(const HookRun &hook, const KnownExec &exec);

// "ENOENT", or "errno 77" for a value libc has no name for.
std::string errno_name(int err);

}  // namespace probectl::compare
