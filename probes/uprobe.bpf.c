/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uprobe: a breakpoint in a user-space function (libc's execve). The arguments are the caller's
 * registers, and its pointers point into the caller's memory: read with the user-read helpers.
 */
#include "common.bpf.h"

SEC("uprobe")
int pctl_uprobe(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_UPROBE);

	if (!e)
		return 0;
	capture_args(e, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx));
	submit_event(e);
	return 0;
}
