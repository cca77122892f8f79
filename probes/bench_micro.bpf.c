/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl bench: the same trivial body on every hook type, so that what differs between them is
 * the cost of the hook itself (the kernel's own trigger benchmarks do the same:
 * tools/testing/selftests/bpf/progs/trigger_bench.c). Every program counts one hit in a per-CPU
 * slot when the benchmark's own process triggers it. The trigger is the getpgid system call for
 * kernel hooks and a never-inlined function of probectl for uprobes; userspace loads one program
 * at a time (autoload) and names the kernel function for kprobes and trampolines.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 targ_tgid = 0;	  /* the benchmark's process */
const volatile __s64 targ_syscall_nr = 0; /* getpgid's number, for the sys_enter hooks */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

/* The whole body of every benchmark program: one per-CPU increment for the benchmark's process. */
static __always_inline int hit(void)
{
	__u32 slot = 0;
	__u64 *value;

	if ((bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	value = bpf_map_lookup_elem(&hits, &slot);
	if (value)
		*value += 1;
	return 0;
}

SEC("kprobe")
int bench_kprobe(void *ctx)
{
	return hit();
}

SEC("kretprobe")
int bench_kretprobe(void *ctx)
{
	return hit();
}

SEC("ksyscall")
int bench_ksyscall(void *ctx)
{
	return hit();
}

SEC("fentry")
int bench_fentry(void *ctx)
{
	return hit();
}

SEC("fexit")
int bench_fexit(void *ctx)
{
	return hit();
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int bench_tracepoint(void *ctx)
{
	return hit();
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bench_tp_btf, struct pt_regs *regs, long id)
{
	if (id != targ_syscall_nr)
		return 0;
	return hit();
}

SEC("raw_tp/sys_enter")
int bench_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	if ((__s64)ctx->args[1] != targ_syscall_nr)
		return 0;
	return hit();
}

SEC("uprobe")
int bench_uprobe(void *ctx)
{
	return hit();
}

SEC("uretprobe")
int bench_uretprobe(void *ctx)
{
	return hit();
}

SEC("lsm")
int bench_lsm(void *ctx)
{
	return hit();
}

SEC("kprobe.multi")
int bench_kprobe_multi(void *ctx)
{
	return hit();
}

SEC("uprobe.multi")
int bench_uprobe_multi(void *ctx)
{
	return hit();
}
