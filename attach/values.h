// What a generic capture reads at a resolved attach point, from the running kernel's own
// description: BTF prototypes and typedefs, tracepoint format files, or a user function's registers.
#pragma once

#include "attach/resolve.h"
#include "attach/targets.h"
#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/value_spec.h"

namespace probectl {

// Whether a resolved target is captured generically: attach points off the exec path (none with an
// exec layout), not the exec event itself.
bool captures_generically(const Target &target, const ResolvedTarget &resolved);

// The argument list (and return value) each event at a single-point hook's attach point carries.
Expected<ValueList> describe_values(const HookInfo &hook, const ResolvedTarget &resolved);

// Sets what a generic capture reads into the resolved target: its values, or for kprobe.multi each
// function's own list (site_values); uprobe.multi reads the same six registers at each function.
Expected<void> describe_into(const HookInfo &hook, ResolvedTarget &resolved);

// A listed attach point's arguments (probectl targets -v, explain), as its entry hooks decode them,
// with the return value where the kernel describes one.
Expected<ValueList> describe_target(const TargetEntry &entry);

}  // namespace probectl
