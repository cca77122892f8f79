/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lab 11 exercise: libc's execve, its return value.
 *
 * Write a uretprobe on execve in libc ("libc.so.6"): libbpf attaches a program by its section
 * name, "uretprobe/BINARY:FUNCTION" (lab 3). Send e->retval, the value execve returned. The
 * checker's child calls execve on a file that does not exist, then on /bin/true; which of the two
 * calls should your program see?
 *
 * Check it: probectl lab check 11 --solution THIS_FILE
 */
#include "exercise.bpf.h"

SEC("uretprobe/TODO") /* TODO: the binary and the function */
int BPF_KRETPROBE(exec_return, int ret)
{
	struct exercise_event *e = exercise_reserve();

	if (!e)
		return 0;
	/* TODO: e->retval */
	exercise_submit(e);
	return 0;
}
