/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic kretprobe: any kernel function's return; the return value alone. */
#include "args.bpf.h"

SEC("kretprobe")
int pctl_args_kretprobe(struct pt_regs *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_KRETPROBE);

	if (!e)
		return 0;
	set_args_retval(e, PT_REGS_RC(ctx));
	submit_args_event(e);
	return 0;
}
