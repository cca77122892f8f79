/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Generic fexit: any BTF-described kernel function's return; its arguments, and the return value in
 * the slot after them.
 */
#include "args.bpf.h"

SEC("fexit")
int pctl_args_fexit(__u64 *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_FEXIT);

	if (!e)
		return 0;
	read_btf_values(e, ctx);
	set_args_retval(e, fexit_return_value(ctx));
	submit_args_event(e);
	return 0;
}
