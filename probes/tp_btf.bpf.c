/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tp_btf: a BTF-typed raw tracepoint. The context is the tracepoint's arguments as u64, typed by
 * the kernel's btf_trace_<name> prototype: for sched_process_exec (task, old_pid, bprm), after the
 * exec has replaced the image.
 */
#include "common.bpf.h"

SEC("tp_btf")
int pctl_tp_btf(__u64 *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_TP_BTF);

	if (!e)
		return 0;
	capture_btf_args(e, ctx);
	submit_event(e);
	return 0;
}
