/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fentry: a BPF trampoline at a kernel function's entry. The context is an array of the function's
 * arguments as u64, typed by BTF.
 */
#include "common.bpf.h"

SEC("fentry")
int pctl_fentry(__u64 *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_FENTRY);

	if (!e)
		return 0;
	capture_btf_args(e, ctx);
	submit_event(e);
	return 0;
}
