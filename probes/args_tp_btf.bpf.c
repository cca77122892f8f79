/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic tp_btf: any raw tracepoint, its arguments typed by its btf_trace_* typedef. */
#include "args.bpf.h"

SEC("tp_btf")
int pctl_args_tp_btf(__u64 *ctx)
{
	struct pctl_args_event *e;

	if (!syscall_wanted(ctx))
		return 0;
	e = begin_args_event(PCTL_HOOK_TP_BTF);
	if (!e)
		return 0;
	read_btf_values(e, ctx);
	submit_args_event(e);
	return 0;
}
