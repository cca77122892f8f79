/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lab 5 exercise: CO-RE reads through two pointers.
 *
 * sched_process_exec hands tp_btf the new task and the exec's linux_binprm, typed (lab 9). Fill in
 * the parent's process id, p->real_parent->tgid, and the file name, bprm->filename (a kernel
 * string), so that they are right on every kernel whatever its layout: read them with
 * BPF_CORE_READ, which records a CO-RE relocation for each field it follows (lab 5).
 *
 * Check it: probectl lab check 5 --solution THIS_FILE
 */
#include "exercise.bpf.h"

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct exercise_event *e = exercise_reserve();

	if (!e)
		return 0;
	/* TODO: e->ppid = the parent's tgid, through p->real_parent */
	/* TODO: copy the string at bprm->filename into e->filename */
	exercise_submit(e);
	return 0;
}
