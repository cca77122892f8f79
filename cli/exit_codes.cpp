#include "cli/exit_codes.h"

namespace probectl {

int exit_code(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::internal: return 1;
    case ErrorKind::usage: return 2;
    case ErrorKind::unknown_hook: return 3;
    case ErrorKind::target_not_found: return 4;
    case ErrorKind::target_untraceable: return 5;
    case ErrorKind::binary_or_symbol: return 6;
    case ErrorKind::unsupported: return 7;
    case ErrorKind::permission: return 8;
    case ErrorKind::tracefs: return 9;
    case ErrorKind::kernel: return 10;
    case ErrorKind::bad_file: return 11;
    case ErrorKind::workload: return 12;
    case ErrorKind::inconsistent: return 13;
    case ErrorKind::lab_failed: return 14;
    }
    return 1;
}

}  // namespace probectl
