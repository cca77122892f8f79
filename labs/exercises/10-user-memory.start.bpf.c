/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lab 10 exercise: the syscall's pointer is user memory.
 *
 * At sys_enter_execve, args[0] is the filename argument exactly as the program passed it to
 * execve(2): a pointer into the calling process's memory. The program below compiles, loads and
 * runs, and sends an empty file name for every exec. Why? Fix it.
 *
 * Check it: probectl lab check 10 --solution THIS_FILE
 */
#include "exercise.bpf.h"

SEC("tp/syscalls/sys_enter_execve")
int exec(struct trace_event_raw_sys_enter *ctx)
{
	struct exercise_event *e = exercise_reserve();

	if (!e)
		return 0;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (const char *)ctx->args[0]);
	exercise_submit(e);
	return 0;
}
