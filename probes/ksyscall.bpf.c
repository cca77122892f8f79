/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ksyscall: a kprobe on the architecture's syscall entry (__x64_sys_execve); libbpf's BPF_KSYSCALL
 * unwraps the syscall wrapper's pt_regs, so the arguments are the user's own pointers.
 */
#include "common.bpf.h"

SEC("ksyscall")
int BPF_KSYSCALL(pctl_ksyscall, long a0, long a1, long a2)
{
	struct pctl_event *e = begin_event(PCTL_HOOK_KSYSCALL);

	if (!e)
		return 0;
	capture_args(e, a0, a1, a2);
	submit_event(e);
	return 0;
}
