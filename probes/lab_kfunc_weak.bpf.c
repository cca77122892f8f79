/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 18: a kfunc declared __weak. Where the kernel lacks bpf_task_from_pid(), libbpf
 * leaves the symbol unresolved (0) instead of refusing the object; bpf_ksym_exists() reads that
 * constant, set at load, and the verifier discards the call on the branch that cannot run.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern struct task_struct *bpf_task_from_pid(s32 pid) __weak __ksym;
extern void bpf_task_release(struct task_struct *p) __weak __ksym;

const volatile __u32 target_tgid = 0;
__u32 answer; /* 0: not run; 1: the kfunc exists (and found this task); 2: it does not exist */

SEC("tp_btf/sys_enter")
int lab_kf_weak(void *ctx)
{
	struct task_struct *task;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid || answer)
		return 0;
	if (!bpf_ksym_exists(bpf_task_from_pid)) {
		answer = 2;
		return 0;
	}
	task = bpf_task_from_pid(target_tgid);
	if (task) {
		answer = 1;
		bpf_task_release(task);
	}
	return 0;
}
