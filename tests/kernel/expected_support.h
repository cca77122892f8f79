// What the running kernel should support, found without probectl's own support probing: the
// kernel config, and a two-instruction tracing program of the test's own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace probectl::test {

// The reason probectl must give when this kernel lacks the hook type; nullopt when the kernel has it.
std::optional<std::string> expected_unsupported_reason(std::string_view hook);

}  // namespace probectl::test
