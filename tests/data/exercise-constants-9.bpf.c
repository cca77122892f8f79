// Lab 9's exercise answered without reading the record: the pid copied as old_pid and /bin/true
// as the name, which a thread's exec and names drawn at random must catch (tests/kernel/test_labs.cpp).
#include "exercise.bpf.h"

SEC("tp/sched/sched_process_exec")
int constants(void *ctx)
{
    struct exercise_event *e = exercise_reserve();

    if (!e)
        return 0;
    e->ppid = e->pid;
    __builtin_memcpy(e->filename, "/bin/true", sizeof("/bin/true"));
    exercise_submit(e);
    return 0;
}
