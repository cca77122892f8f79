/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* kprobe: a breakpoint at a kernel function's entry; arguments come from the saved registers. */
#include "common.bpf.h"

SEC("kprobe")
int pctl_kprobe(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_KPROBE);

	if (!e)
		return 0;
	capture_args(e, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx));
	submit_event(e);
	return 0;
}
