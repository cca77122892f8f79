/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lab 9 exercise: a __data_loc string in a tracepoint's record.
 *
 * The classic tracepoint's context is the record its format file describes
 * (tracefs events/sched/sched_process_exec/format). Its filename field is "__data_loc char[]":
 * a 32-bit word whose low 16 bits are the string's offset from the start of the record and whose
 * high 16 bits are its length. vmlinux.h names the word __data_loc_filename.
 *
 * Copy the file name into e->filename. The checker also wants old_pid, put in e->ppid: it is the
 * pid the exec'ing thread had before (the same as pid unless a non-leader thread exec'd).
 *
 * Check it: probectl lab check 9 --solution THIS_FILE
 */
#include "exercise.bpf.h"

SEC("tp/sched/sched_process_exec")
int exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct exercise_event *e = exercise_reserve();

	if (!e)
		return 0;
	/* TODO: e->ppid = the record's old_pid */
	/* TODO: the string starts at (void *)ctx + (the low 16 bits of ctx->__data_loc_filename) */
	exercise_submit(e);
	return 0;
}
