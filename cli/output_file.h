// Files a command writes (--html, --markdown, --record): checked before anything is attached, so a
// typo does not cost a run; written whole or reported.
#pragma once

#include "loader/error.h"

#include <string>
#include <string_view>

namespace probectl {

// Fails with ErrorKind::bad_file when the folder of `path` does not exist; empty path: nothing to do.
Expected<void> check_output_file(const std::string &path, std::string_view option);
Expected<void> write_file(const std::string &path, const std::string &text);

}  // namespace probectl
