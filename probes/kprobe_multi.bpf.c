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
	__u64 cookie;

	if (!e)
		return 0;
	cookie = bpf_get_attach_cookie(ctx);
	e->site = (__u32)(cookie & 0xffff);
	capture_args_as(e, (__u32)(cookie >> 16), PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx),
			PT_REGS_PARM3(ctx));
	submit_event(e);
	return 0;
}
