// ksyscall.skel.h, for C++: bpftool declares the object's __kconfig bool (LINUX_HAS_SYSCALL_WRAPPER)
// as C's _Bool, which GCC's C++ takes as an extension and clang's (the sanitizer build's) does not.
#pragma once

#define _Bool bool
#include "ksyscall.skel.h"
#undef _Bool
