/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Lab 9 exercise, reference solution: a __data_loc string in a tracepoint's record. */
#include "exercise.bpf.h"

SEC("tp/sched/sched_process_exec")
int exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct exercise_event *e = exercise_reserve();
	unsigned short offset = ctx->__data_loc_filename & 0xffff;

	if (!e)
		return 0;
	e->ppid = ctx->old_pid;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + offset);
	exercise_submit(e);
	return 0;
}
