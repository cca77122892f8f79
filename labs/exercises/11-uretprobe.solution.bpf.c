/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Lab 11 exercise, reference solution: libc's execve, its return value. */
#include "exercise.bpf.h"

SEC("uretprobe/libc.so.6:execve")
int BPF_KRETPROBE(exec_return, int ret)
{
	struct exercise_event *e = exercise_reserve();

	if (!e)
		return 0;
	e->retval = ret;
	exercise_submit(e);
	return 0;
}
