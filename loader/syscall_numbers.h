// The syscall table of the architecture probectl is built for: numbers by name and names by number,
// generated at build time from the C library's headers (cmake/SyscallNumbers.cmake).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace probectl {

std::optional<int> syscall_number(std::string_view name);  // "openat" -> 257 on x86-64
std::optional<std::string_view> syscall_name(int number);
std::vector<std::string_view> syscall_names();  // in name order

}  // namespace probectl
