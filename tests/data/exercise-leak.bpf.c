// A program that reserves a ring buffer record and never submits it: the verifier must refuse it
// (tests/kernel/test_labs.cpp, the exercise checker's error steps).
#include "exercise.bpf.h"

SEC("tp/sched/sched_process_exec")
int f(void *ctx)
{
    struct exercise_event *e __attribute__((unused)) = exercise_reserve();
    return 0;
}
