#include "loader/error.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

namespace probectl {

std::string Error::one_line() const
{
    if (hint.empty())
        return message;
    return fmt::format("{}. Hint: {}", message, hint);
}

std::string errno_text(int err)
{
    err = std::abs(err);
    // 524 is the kernel-internal ENOTSUPP that BPF returns; libc has no name for it.
    if (err == 524)
        return "ENOTSUPP (operation not supported by the kernel)";
    const char *name = strerrordesc_np(err);
    const char *abbrev = strerrorname_np(err);
    return fmt::format("{} ({})", abbrev ? abbrev : fmt::format("errno {}", err), name ? name : "unknown error");
}

std::string_view kind_name(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::internal: return "internal";
    case ErrorKind::usage: return "usage";
    case ErrorKind::unknown_hook: return "unknown-hook";
    case ErrorKind::target_not_found: return "target-not-found";
    case ErrorKind::target_untraceable: return "target-untraceable";
    case ErrorKind::binary_or_symbol: return "binary-or-symbol";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::permission: return "permission";
    case ErrorKind::tracefs: return "tracefs";
    case ErrorKind::kernel: return "kernel";
    case ErrorKind::bad_file: return "bad-file";
    case ErrorKind::workload: return "workload";
    case ErrorKind::inconsistent: return "inconsistent";
    case ErrorKind::lab_failed: return "lab failed";
    }
    return "internal";
}

}  // namespace probectl
