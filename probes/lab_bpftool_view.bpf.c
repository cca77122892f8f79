/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 19: the view from bpftool while attached. Trivial programs the lab attaches, each
 * to its hook, so that it can ask the kernel what bpftool asks: `bpftool perf show` (each perf
 * event or raw tracepoint fd of a process, by BPF_TASK_FD_QUERY) and `bpftool link list` (every BPF
 * link). lab_read_text reads the first bytes of a kernel function, to see the nop an fentry call
 * site holds and the call it becomes while a trampoline is attached.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 hits;

SEC("kprobe")
int lab_view_kprobe(void *ctx)
{
	hits++;
	return 0;
}

SEC("kretprobe")
int lab_view_kretprobe(void *ctx)
{
	hits++;
	return 0;
}

SEC("kprobe")
int lab_view_kprobe_off(void *ctx)
{
	hits++;
	return 0;
}

SEC("uprobe")
int lab_view_uprobe(void *ctx)
{
	hits++;
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int lab_view_tracepoint(void *ctx)
{
	hits++;
	return 0;
}

SEC("raw_tp/sys_enter")
int lab_view_raw_tp(void *ctx)
{
	hits++;
	return 0;
}

SEC("fentry")
int lab_view_fentry(void *ctx)
{
	hits++;
	return 0;
}

const volatile __u32 target_tgid = 0;
__u64 text_address; /* a kernel function's, from /proc/kallsyms */
unsigned char text[16];
__s64 text_ret;

SEC("tp/syscalls/sys_enter_getpgid")
int lab_read_text(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	text_ret = bpf_probe_read_kernel(text, sizeof(text), (const void *)text_address);
	return 0;
}
