// Errors as values: what went wrong, the errno behind it, and what the user can do about it.
#pragma once

#include <expected>
#include <string>

namespace probectl {

// What kind of failure: each has its own exit code (cli/exit_codes.h), so scripts can tell them apart.
enum class ErrorKind : int {
    internal,
    usage,               // bad command line (CLI11 reports these too)
    unknown_hook,        // --type names no hook
    target_not_found,    // no such kernel function / tracepoint / syscall
    target_untraceable,  // exists, but this hook cannot attach to it (no BTF, inlined, notrace)
    binary_or_symbol,    // uprobe binary missing, not ELF, or symbol absent
    unsupported,         // this hook type does not work on this kernel
    permission,          // not root / missing capabilities
    tracefs,             // tracefs not mounted and could not be mounted
    kernel,              // the kernel refused for another reason (load, attach, map)
    bad_file,            // a file probectl reads or writes (--replay, --record, --html) is unusable
    workload,            // the exec workload could not run (fork, a scenario's set-up)
    inconsistent,        // a benchmark's counters did not balance (hits != triggers, drops unaccounted)
    lab_failed,          // probectl lab check: an expected observation did not hold on this kernel
};

// Where in bringing a BPF object up an error happened, so that a diagnosis asks the field, not the
// message text.
enum class Stage {
    none,    // not in a BPF object's life (resolving a target, reading a file...)
    open,    // opening the object (ELF, maps and programs set up in libbpf)
    load,    // preparing and loading it (CO-RE relocation, map creation, the verifier)
    attach,  // linking a loaded program to its attach point
};

struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string message;  // what was wrong, in words
    std::string hint;     // what to do; may be empty
    int err = 0;          // positive errno, 0 when none
    Stage stage = Stage::none;

    // "message. Hint: hint" on one line, for the terminal.
    [[nodiscard]] std::string one_line() const;
};

template <class T> using Expected = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorKind kind, std::string message, std::string hint = {},
                                                 int err = 0)
{
    return std::unexpected(Error{kind, std::move(message), std::move(hint), err});
}

// A failure of the kernel (ErrorKind::kernel) at a stage of a BPF object's life, with its errno.
[[nodiscard]] inline std::unexpected<Error> fail_at(Stage stage, std::string message, int err,
                                                    std::string hint = {})
{
    return std::unexpected(Error{ErrorKind::kernel, std::move(message), std::move(hint), err, stage});
}

// "ENOENT (No such file or directory)" for an errno value (sign ignored).
[[nodiscard]] std::string errno_text(int err);

// A short name for an error's kind ("target-not-found"), as docs/cli.md lists the exit codes.
[[nodiscard]] std::string_view kind_name(ErrorKind kind);

}  // namespace probectl
