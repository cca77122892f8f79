/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic tracepoint: any tracepoint; its arguments are the record's fields. */
#include "args.bpf.h"

SEC("tp")
int pctl_args_tracepoint(void *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_TRACEPOINT);

	if (!e)
		return 0;
	read_values(e, NULL, ctx);
	submit_args_event(e);
	return 0;
}
