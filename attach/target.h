// What the user asked to trace, parsed but not yet resolved against a kernel.
#pragma once

#include "loader/error.h"

#include <string>
#include <string_view>

namespace probectl {

struct Target {
    enum class Kind {
        exec_event,  // the logical event: "execve", or "do_execve" (which may be inlined)
        name,        // a kernel function, syscall or raw tracepoint name: "bprm_execve"
        qualified,   // LEFT:RIGHT: "syscalls:sys_enter_execve" or "/usr/bin/bash:main", "libc:execve"
    };
    Kind kind = Kind::exec_event;
    std::string text;              // as the user wrote it
    std::string left;              // qualified: category or binary
    std::string right;             // name or qualified: tracepoint name or symbol
    bool named_do_execve = false;  // the user wrote do_execve: substitutes get a note, --strict refuses

    [[nodiscard]] bool is(std::string_view name) const { return kind == Kind::name && right == name; }
};

// Syntax only; fails with ErrorKind::usage and an example of each accepted form.
Expected<Target> parse_target(std::string_view text);

}  // namespace probectl
