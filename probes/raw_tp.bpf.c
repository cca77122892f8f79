/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * raw_tp: a raw tracepoint. The context is struct bpf_raw_tracepoint_args: the tracepoint's
 * arguments as untyped u64 values, which the program must cast and read with probe-read helpers.
 */
#include "common.bpf.h"

SEC("raw_tp")
int pctl_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_RAW_TP);

	if (!e)
		return 0;
	if (layout_nargs() > 0)
		capture_args(e, ctx->args[0], ctx->args[1], ctx->args[2]);
	submit_event(e);
	return 0;
}
