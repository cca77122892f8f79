// probectl's exit codes: one per kind of failure, so that scripts can tell them apart. They are
// the CLI's promise (docs/cli.md lists them); the layers below only say what kind of error it was.
#pragma once

#include "loader/error.h"

namespace probectl {

// 0 is success; every ErrorKind has its own code from 1 (internal) to 14 (lab failed).
[[nodiscard]] int exit_code(ErrorKind kind);
[[nodiscard]] inline int exit_code(const Error &error)
{
    return exit_code(error.kind);
}

}  // namespace probectl
