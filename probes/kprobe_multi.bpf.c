/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kprobe.multi: one program on many kernel functions at once, through ftrace's function probes
 * (fprobe, 5.18) rather than a breakpoint each. Arguments come from the saved registers, as for a
 * kprobe. The attach cookie of the function that fired holds its place in probectl's list (low 16
 * bits, from 1: the event's site) and where its arguments are (the bits above: enum
 * pctl_arg_layout).
 */
#include "common.bpf.h"

SEC("kprobe.multi")
int pctl_kprobe_multi(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_KPROBE_MULTI);

	if (!e)
		return 0;
	capture_at_site(e, ctx);
	submit_event(e);
	return 0;
}
