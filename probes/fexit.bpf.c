/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fexit: a BPF trampoline at a kernel function's return. Unlike kretprobe it still sees the entry
 * arguments, and the return value sits right after them in the context.
 */
#include "common.bpf.h"

/*
 * The return value without bpf_get_func_ret() (before 5.17): it follows the arguments, at
 * ctx[func_nargs]. Read through a helper: clang turns ctx[n] into "ctx += 8n; load", and the
 * verifier refuses a load through a moved context pointer.
 */
static __always_inline __u64 ret_after_args(__u64 *ctx)
{
	__u64 ret = 0;

	bpf_probe_read_kernel(&ret, sizeof(ret), ctx + func_nargs);
	return ret;
}

SEC("fexit")
int pctl_fexit(__u64 *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_FEXIT);
	__u64 ret = 0;

	if (!e)
		return 0;
	capture_btf_args(e, ctx);
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ret))
		bpf_get_func_ret(ctx, &ret);
	else
		ret = ret_after_args(ctx);
	set_retval(e, (long)ret);
	submit_event(e);
	return 0;
}
