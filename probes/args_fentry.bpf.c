/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic fentry: any BTF-described kernel function's entry; its arguments as u64s. */
#include "args.bpf.h"

SEC("fentry")
int pctl_args_fentry(__u64 *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_FENTRY);

	if (!e)
		return 0;
	read_btf_values(e, ctx);
	submit_args_event(e);
	return 0;
}
