/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Generic ksyscall: any syscall's entry (its __x64_sys_* wrapper); its arguments from the user
 * registers the wrapper is handed, as its syscalls:sys_enter_* format types them.
 */
#include "args.bpf.h"

SEC("ksyscall")
int BPF_KSYSCALL(pctl_args_ksyscall, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_KSYSCALL);
	__u64 args[PCTL_VALUES] = {a0, a1, a2, a3, a4, a5};

	if (!e)
		return 0;
	read_values(e, args, NULL);
	submit_args_event(e);
	return 0;
}
