// Generic capture on the running kernel: one hook type attached to attach points off the exec path,
// its arguments decoded from the kernel's own description and checked against a workload that
// produced known values (a file name, an errno, a signal, a nice value, a user function's arguments).
#pragma once

#include "attach/strategy.h"

namespace probectl::test {

// Checks the hook's generic capture (or that it has none, as its row says); called from the
// per-hook test case (test_hooks.cpp) so that each kernel of the matrix checks each hook type.
void check_generic_capture(const AttachStrategy &strategy);

}  // namespace probectl::test
