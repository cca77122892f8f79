// Lab 5's exercise answered with constants at the right hook: a parent of 1 and /bin/true, which
// the checker's names drawn at random and its real parent must catch (tests/kernel/test_labs.cpp).
#include "exercise.bpf.h"

SEC("tp_btf/sched_process_exec")
int BPF_PROG(constants, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    struct exercise_event *e = exercise_reserve();

    if (!e)
        return 0;
    e->ppid = 1;
    __builtin_memcpy(e->filename, "/bin/true", sizeof("/bin/true"));
    exercise_submit(e);
    return 0;
}
