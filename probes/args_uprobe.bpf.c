/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic uprobe: any user function's entry; its arguments from the caller's registers. */
#include "args.bpf.h"

SEC("uprobe")
int pctl_args_uprobe(struct pt_regs *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_UPROBE);

	if (!e)
		return 0;
	read_register_values(e, ctx);
	submit_args_event(e);
	return 0;
}
