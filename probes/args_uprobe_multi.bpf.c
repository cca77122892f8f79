/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Generic uprobe.multi: many functions of one binary in one link, each known only by its ELF
 * symbol: the same six argument registers at each, the function named by the site in its attach
 * cookie.
 */
#include "args.bpf.h"

SEC("uprobe.multi")
int pctl_args_uprobe_multi(struct pt_regs *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_UPROBE_MULTI);

	if (!e)
		return 0;
	e->site = cookie_site(bpf_get_attach_cookie(ctx));
	read_register_values(e, ctx);
	submit_args_event(e);
	return 0;
}
