/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic raw_tp: any raw tracepoint; its arguments as untyped u64s. */
#include "args.bpf.h"

SEC("raw_tp")
int pctl_args_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	struct pctl_args_event *e;

	if (!syscall_wanted(ctx->args))
		return 0;
	e = begin_args_event(PCTL_HOOK_RAW_TP);
	if (!e)
		return 0;
	read_btf_values(e, ctx->args);
	submit_args_event(e);
	return 0;
}
