/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * lsm: a BPF LSM program on a security hook (for execs bprm_check_security, when the binary is
 * open and about to be checked, before the point of no return). It runs on a BPF trampoline at the
 * hook's bpf_lsm_<hook> function, whose arguments are its context, typed by BTF; its return value
 * is the hook's verdict. probectl's program only watches: it always allows (returns 0).
 */
#include "common.bpf.h"

SEC("lsm")
int pctl_lsm(__u64 *ctx)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_LSM);

	if (!e)
		return 0;
	capture_btf_args(e, ctx);
	submit_event(e);
	return 0;
}
