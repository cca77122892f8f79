/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uprobe.multi: one program on many functions of one binary at once, in one BPF link (6.6), e.g.
 * every exec wrapper of libc. Each function's attach cookie holds its place in probectl's list
 * (low 16 bits, from 1: the event's site) and where its arguments are (the bits above: enum
 * pctl_arg_layout), as the wrappers differ.
 */
#include "common.bpf.h"

SEC("uprobe.multi")
int pctl_uprobe_multi(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_UPROBE_MULTI);

	if (!e)
		return 0;
	capture_at_site(e, ctx);
	submit_event(e);
	return 0;
}
