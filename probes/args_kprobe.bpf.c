/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic kprobe: any kernel function's entry; its arguments from the saved registers. */
#include "args.bpf.h"

SEC("kprobe")
int pctl_args_kprobe(struct pt_regs *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_KPROBE);

	if (!e)
		return 0;
	read_register_values(e, ctx);
	submit_args_event(e);
	return 0;
}
