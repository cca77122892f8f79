/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic uretprobe: any user function's return; the return value alone. */
#include "args.bpf.h"

SEC("uretprobe")
int pctl_args_uretprobe(struct pt_regs *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_URETPROBE);

	if (!e)
		return 0;
	set_args_retval(e, PT_REGS_RC(ctx));
	submit_args_event(e);
	return 0;
}
