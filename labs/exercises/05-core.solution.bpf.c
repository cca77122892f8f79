/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Lab 5 exercise, reference solution: CO-RE reads through two pointers. */
#include "exercise.bpf.h"

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct exercise_event *e = exercise_reserve();
	const char *filename;

	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	filename = BPF_CORE_READ(bprm, filename);
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), filename);
	exercise_submit(e);
	return 0;
}
