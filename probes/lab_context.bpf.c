/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 2: what the verifier knows of ctx at load, and what is checked at attach. Each
 * program reads ctx at one fixed offset; the lab loads them one at a time (autoload) and attaches
 * each that loads. At load the verifier knows the program type, not the tracepoint: a tracepoint
 * program may read from offset 8 up to the largest trace record (PERF_MAX_TRACE_SIZE;
 * 1024 is within it on every kernel; the common fields, 0 to 7, are refused), and a raw_tp program
 * any of 12 arguments; whether the read fits the tracepoint's record, or its argument count, is
 * checked when the program is attached. Three programs share each section, as libbpf allows (lab
 * 3).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 sink; /* keeps each read */

#define READ_CTX_AT(offset) (sink = *(volatile __u64 *)((char *)ctx + (offset)))

/* sys_enter_execve's record: common fields 0-7, __syscall_nr at 8, filename at 16, ... 40 bytes */
SEC("tp/syscalls/sys_enter_execve")
int lab_tp_filename(void *ctx)
{
	READ_CTX_AT(16);
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int lab_tp_common(void *ctx)
{
	READ_CTX_AT(0);
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int lab_tp_past_record(void *ctx)
{
	READ_CTX_AT(1024);
	return 0;
}

/* sys_enter's two arguments: the registers and the syscall's number */
SEC("raw_tp/sys_enter")
int lab_raw_second(void *ctx)
{
	READ_CTX_AT(1 * 8);
	return 0;
}

SEC("raw_tp/sys_enter")
int lab_raw_sixth(void *ctx)
{
	READ_CTX_AT(5 * 8);
	return 0;
}

SEC("raw_tp/sys_enter")
int lab_raw_thirteenth(void *ctx)
{
	READ_CTX_AT(12 * 8);
	return 0;
}

/*
 * A mistake in print: a tp_btf program given the classic tracepoint's record as its ctx. A tp_btf
 * program's ctx is the tracepoint's arguments, one u64 each (p, old_pid, bprm); ->pid is offset 12
 * of the record, which in that array is the upper half of old_pid: the verifier refuses the read.
 */
SEC("tp_btf/sched_process_exec")
int lab_tp_btf_record(struct trace_event_raw_sched_process_exec *ctx)
{
	sink = ctx->pid;
	return 0;
}
