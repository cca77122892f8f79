// Target resolution against a recorded kernel's facts (tests/data/kernel-*), as the unit tests use it.
#pragma once

#include "attach/resolve.h"
#include "loader/kernel_facts.h"

#include <string>
#include <string_view>

namespace probectl::test {

// The facts recorded from a kernel into tests/data/<kernel>.
KernelSymbols recorded_kernel(const std::string &kernel);

// How the hook type named `hook` resolves the target `text` against these facts (REQUIREs that the
// text parses and the hook exists).
Expected<ResolvedTarget> resolve_on(std::string_view hook, std::string_view text, const KernelSymbols &symbols,
                                    bool strict = false);

}  // namespace probectl::test
