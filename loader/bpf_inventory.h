// What BPF programs the kernel has loaded right now, by name: to prove probectl left none behind.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace probectl {

// Every probectl program is named pctl_<hook> (probes/*.bpf.c).
inline constexpr std::string_view kProgramPrefix = "pctl_";

// Names of loaded programs that start with prefix (kernel names are cut to 15 characters).
std::vector<std::string> loaded_programs_named(std::string_view prefix = kProgramPrefix);

// The kernel frees a detached raw tracepoint program only after an RCU grace period (about 15 ms
// seen on 6.18), so "nothing left loaded" is asked again until grace runs out. What is still loaded.
std::vector<std::string> programs_left_after(std::chrono::milliseconds grace,
                                             std::string_view prefix = kProgramPrefix);

}  // namespace probectl
