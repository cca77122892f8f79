// Where probectl's own files are: in a build tree, beside the binary and in the source and build
// folders; installed (cmake --install, the .deb), under the prefix the binary is in:
// PREFIX/sbin/probectl, PREFIX/libexec/probectl/probectl-exec-helper, PREFIX/share/probectl/.
#pragma once

#include <filesystem>
#include <string>

namespace probectl {

// The running binary's path (/proc/self/exe); "/proc/self/exe" itself when that cannot be read.
std::string own_binary();

// A helper program of probectl's (probectl-exec-helper): beside the binary in a build tree,
// PREFIX/libexec/probectl/ when installed. The installed path when neither exists.
std::filesystem::path own_helper(const std::string &name);

// The labs' coding exercises (starters, solutions, exercise.bpf.h): PREFIX/share/probectl/exercises
// when installed, the source tree's labs/exercises in a build tree.
std::filesystem::path exercises_dir();

// The vmlinux.h the exercises compile against: PREFIX/share/probectl/include when installed, the
// build tree's generated BPF headers otherwise.
std::filesystem::path vmlinux_header_dir();

}  // namespace probectl
