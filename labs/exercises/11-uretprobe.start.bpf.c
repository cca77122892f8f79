/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lab 11 exercise: libc's execve, its file name and its return value.
 *
 * Write a uretprobe on execve in libc ("libc.so.6"): libbpf attaches a program by its section
 * name, "uretprobe/BINARY:FUNCTION" (lab 3). Send e->retval, the value execve returned, and
 * e->filename, the name it was called with. A return probe no longer has the arguments: save the
 * name's pointer at the call's entry (a uprobe on the same function) in the hash map below, by
 * thread id, and look it up at the return. (A successful exec never returns: its entry stays
 * behind, which is why the map is an LRU one.)
 *
 * The checker's child calls execve on one or two files that do not exist or are not executable,
 * then on a program that runs, all of them named at random for each check. Which calls should
 * your uretprobe see?
 *
 * Check it: probectl lab check 11 --solution THIS_FILE
 */
#include "exercise.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, const char *);
} names SEC(".maps");

/* TODO: a uprobe on the same function that saves its first argument in names */

SEC("uretprobe/TODO") /* TODO: the binary and the function */
int BPF_KRETPROBE(exec_return, int ret)
{
	struct exercise_event *e = exercise_reserve();

	if (!e)
		return 0;
	/* TODO: e->retval, and e->filename from the pointer the uprobe saved */
	exercise_submit(e);
	return 0;
}
