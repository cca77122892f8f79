// The hook types a benchmark tier was asked for: each looked up in the registry, and either usable
// here (its exec attach point resolved, when asked for) or not, with the reason in words.
#pragma once

#include "attach/strategy.h"
#include "loader/error.h"

#include <optional>
#include <string>
#include <vector>

namespace probectl::bench {

struct HookTarget {
    const AttachStrategy *strategy = nullptr;
    std::string name;                    // the registry's name for it
    std::optional<ResolvedTarget> exec;  // its execve attach point, when resolved
    std::string not_measured;            // why it cannot be measured here; empty when it can
};

// Fails only on an unknown name. resolve_exec: also resolve each usable hook's execve attach point.
Expected<std::vector<HookTarget>> hook_targets(const std::vector<std::string> &names, bool resolve_exec);

}  // namespace probectl::bench
