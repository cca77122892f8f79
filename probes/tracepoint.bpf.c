/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tracepoint: a static kernel tracepoint; the context is the record its format file describes.
 * For syscalls:sys_enter_* that is the syscall number and six raw arguments (user pointers for
 * execve); for syscalls:sys_exit_* the return value.
 */
#include "common.bpf.h"

SEC("tp")
int pctl_tracepoint(void *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_TRACEPOINT);

	if (!e)
		return 0;
	if (arg_layout == PCTL_LAYOUT_SYS_EXIT) {
		set_retval(e, ((struct trace_event_raw_sys_exit *)ctx)->ret);
	} else if (layout_nargs() > 0) {
		struct trace_event_raw_sys_enter *enter = ctx;

		capture_args(e, enter->args[0], enter->args[1], enter->args[2]);
	}
	submit_event(e);
	return 0;
}
