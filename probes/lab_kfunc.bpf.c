/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 18: one kfunc through each hook type. bpf_task_from_pid() is a kernel function a BPF
 * program may call (a kfunc, 6.2 and later), registered for some program types only; it returns a
 * task with a reference held, which the program must drop with bpf_task_release() before it ends.
 * Each program makes the same call from another hook type; the lab loads them one at a time. The
 * declarations are strong: where the kernel lacks the kfunc, libbpf refuses the object.
 */
#define BPF_NO_KFUNC_PROTOTYPES /* vmlinux.h's are __weak: these are not */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

__u64 found;

static __always_inline int look_up_self(void)
{
	struct task_struct *task = bpf_task_from_pid(bpf_get_current_pid_tgid() >> 32);

	if (task) {
		found++;
		bpf_task_release(task);
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int lab_kf_tp_btf(void *ctx)
{
	return look_up_self();
}

SEC("fentry") /* attach target: bprm_execve, set by the lab */
int lab_kf_fentry(void *ctx)
{
	return look_up_self();
}

SEC("kprobe") /* no target needed to load */
int lab_kf_kprobe(void *ctx)
{
	return look_up_self();
}

SEC("raw_tp/sys_enter")
int lab_kf_raw_tp(void *ctx)
{
	return look_up_self();
}

SEC("tp/syscalls/sys_enter_getppid")
int lab_kf_tracepoint(void *ctx)
{
	return look_up_self();
}

/* the reference taken and never dropped: the verifier refuses the program */
SEC("tp_btf/sys_enter")
int lab_kf_leak(void *ctx)
{
	struct task_struct *task = bpf_task_from_pid(bpf_get_current_pid_tgid() >> 32);

	if (task)
		found++;
	return 0;
}
