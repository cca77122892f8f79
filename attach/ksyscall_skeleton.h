// ksyscall.skel.h and args_ksyscall.skel.h, for C++: bpftool declares the object's __kconfig bool
// (LINUX_HAS_SYSCALL_WRAPPER) as C's _Bool, which GCC's C++ takes as an extension and clang's (the sanitizer
// build's) does not.
#pragma once

#include "probes/event.h"  // struct pctl_value_spec, which args_ksyscall.skel.h uses

#define _Bool bool
#include "args_ksyscall.skel.h"
#include "ksyscall.skel.h"
#undef _Bool
