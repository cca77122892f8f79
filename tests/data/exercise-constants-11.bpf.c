// Lab 11's exercise answered with libc's -1 and a constant name, at the right hooks (a uprobe that
// saves nothing): only the name is wrong (tests/kernel/test_labs.cpp).
#include "exercise.bpf.h"

SEC("uprobe/libc.so.6:execve")
int BPF_KPROBE(entry)
{
    return 0;
}

SEC("uretprobe/libc.so.6:execve")
int BPF_KRETPROBE(constants, int ret)
{
    struct exercise_event *e = exercise_reserve();

    if (!e)
        return 0;
    e->retval = -1;
    __builtin_memcpy(e->filename, "/bin/true", sizeof("/bin/true"));
    exercise_submit(e);
    return 0;
}
