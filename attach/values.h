// What a generic capture reads at a resolved attach point, from the running kernel's own
// description: BTF prototypes and typedefs, tracepoint format files, or a user function's registers.
#pragma once

#include "attach/resolve.h"
#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/value_spec.h"

namespace probectl {

// Whether this hook, at this resolved target, captures generically: an attach point off the exec
// path (no exec layout) of a hook that can read arguments or a return value there.
bool captures_generically(const Target &target, const ResolvedTarget &resolved);

// The argument list (and return value) each event at the attach point carries.
Expected<ValueList> describe_values(const HookInfo &hook, const ResolvedTarget &resolved);

}  // namespace probectl
