// Runs a tool the labs build on (bpftool, clang) and keeps what it printed.
#pragma once

#include "loader/error.h"

#include <string>
#include <vector>

namespace probectl::lab {

struct CommandResult {
    int exit_code = -1;  // -1: killed by a signal
    std::string output;  // stdout and stderr, interleaved as printed
};

// Fails only when the program could not be started; a non-zero exit is the caller's to judge.
Expected<CommandResult> run_command(const std::vector<std::string> &argv);

// "clang -g -O2 ...": the command line as a learner would type it.
std::string command_line(const std::vector<std::string> &argv);

// The build's tool if it still exists there, else the bare name (found on PATH).
std::string build_tool(const char *configured, const char *name);

}  // namespace probectl::lab
