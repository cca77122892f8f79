/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fexit: a BPF trampoline at a kernel function's return. Unlike kretprobe it still sees the entry
 * arguments, and the return value sits right after them in the context.
 */
#include "common.bpf.h"

SEC("fexit")
int pctl_fexit(__u64 *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_FEXIT);

	if (!e)
		return 0;
	capture_btf_args(e, ctx);
	set_retval(e, (long)fexit_return_value(ctx));
	submit_event(e);
	return 0;
}
