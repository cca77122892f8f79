/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 15: the same call of a GPL-only helper as lab_anatomy.bpf.c's lab_gpl_helper, in an
 * object whose license the kernel does not take for GPL-compatible: the verifier refuses it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Proprietary";

__u64 lab_calls;

SEC("tp/syscalls/sys_enter_getpgid")
int lab_gpl_helper(void *ctx)
{
	__u64 value = 0;

	bpf_probe_read_kernel(&value, sizeof(value), ctx);
	lab_calls += value & 1;
	return 0;
}
