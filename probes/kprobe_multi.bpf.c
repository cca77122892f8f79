/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kprobe.multi: one program on many kernel functions at once, through ftrace's function probes
 * (fprobe, 5.18) rather than a breakpoint each. Arguments come from the saved registers, as for a
 * kprobe; the attach cookie of the function that fired (its place in probectl's list, from 1) names
 * it in the event.
 */
#include "common.bpf.h"

SEC("kprobe.multi")
int pctl_kprobe_multi(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_KPROBE_MULTI);

	if (!e)
		return 0;
	e->site = (__u32)bpf_get_attach_cookie(ctx);
	capture_args(e, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx));
	submit_event(e);
	return 0;
}
