// What the running kernel should support, found without probectl's own support probing: the
// kernel config, and a two-instruction tracing program of the test's own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace probectl::test {

// The reason probectl must give when this kernel lacks the hook type; nullopt when the kernel has it.
std::optional<std::string> expected_unsupported_reason(std::string_view hook);

// Before 6.x moved the open into alloc_bprm(), bprm_execve(bprm, fd, filename, flags) opened the
// file itself, so an exec whose open failed (ENOENT, EACCES) still passed through it. Read from BTF.
bool exec_path_function_sees_failed_open();

}  // namespace probectl::test
