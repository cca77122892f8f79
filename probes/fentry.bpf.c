/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fentry: a BPF trampoline at a kernel function's entry. The context is an array of the function's
 * arguments as u64, typed by BTF; reading past the function's last argument is refused at load, so
 * only the arguments the layout needs are touched.
 */
#include "common.bpf.h"

SEC("fentry")
int pctl_fentry(__u64 *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_FENTRY);
	int nargs = layout_nargs();

	if (!e)
		return 0;
	capture_args(e, nargs > 0 ? ctx[0] : 0, nargs > 1 ? ctx[1] : 0, nargs > 2 ? ctx[2] : 0);
	submit_event(e);
	return 0;
}
