/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uretprobe: fires when a user-space function returns. A successful execve never returns to its
 * caller (the image is gone), so this hook sees failed execs only, with their return value.
 */
#include "common.bpf.h"

SEC("uretprobe")
int pctl_uretprobe(struct pt_regs *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_URETPROBE);

	if (!e)
		return 0;
	set_retval(e, PT_REGS_RC(ctx));
	submit_event(e);
	return 0;
}
