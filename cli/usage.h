// The command line's own mistakes, in probectl's one-line style: an unknown command or option gets
// the nearest names ("did you mean --count?"), and `probectl help [COMMAND]` is --help.
#pragma once

#include "loader/error.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace probectl {

// The arguments (without argv[0]) with `help` and `help COMMAND` turned into `--help` and
// `COMMAND --help`.
std::vector<std::string> with_help_spelled_out(std::vector<std::string> args);

// What was wrong with the arguments CLI11 refused, and what to do (ErrorKind::usage). args: as
// parsed, without argv[0].
Error usage_error(const CLI::App &app, const std::vector<std::string> &args, const CLI::ParseError &refused);

}  // namespace probectl
