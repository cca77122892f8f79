/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kretprobe: fires when a kernel function returns. The registers then hold only the return value:
 * the entry arguments are gone, so filename and argv stay missing.
 */
#include "common.bpf.h"

SEC("kretprobe")
int pctl_kretprobe(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_KRETPROBE);

	if (!e)
		return 0;
	set_retval(e, PT_REGS_RC(ctx));
	submit_event(e);
	return 0;
}
