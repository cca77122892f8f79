// Lab 11's exercise at the wrong hook: sched_process_exec writing libc's -1, which the hook step
// must refuse before anything is loaded (tests/kernel/test_labs.cpp).
#include "exercise.bpf.h"

SEC("tp/sched/sched_process_exec")
int wrong_hook(void *ctx)
{
    struct exercise_event *e = exercise_reserve();

    if (!e)
        return 0;
    e->retval = -1;
    exercise_submit(e);
    return 0;
}
