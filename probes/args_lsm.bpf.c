/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Generic lsm: any LSM hook, its arguments typed by BTF (bpf_lsm_<hook>). */
#include "args.bpf.h"

SEC("lsm")
int pctl_args_lsm(__u64 *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_LSM);

	if (!e)
		return 0;
	read_btf_values(e, ctx);
	submit_args_event(e);
	return 0;
}
