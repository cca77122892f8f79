// One probe's events from one pending child: attached filtered to the child, the child released,
// and every event drained once it has exited (the program runs in its context, so none is late).
#pragma once

#include "attach/strategy.h"
#include "loader/event_decode.h"
#include "tests/kernel/exec_workload.h"

#include <vector>

namespace probectl::test {

// Checks that nothing was dropped or undecodable, and that the kernel emitted what was read.
std::vector<ExecEvent> capture_child(const AttachStrategy &strategy, const ResolvedTarget &resolved,
                                     PendingChild &child, int &exit_code);

}  // namespace probectl::test
