/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 16: what a loader tells the kernel, in order. These two programs record the bpf()
 * system calls of one thread (the lab's own, while it loads probes/lab_loader.bpf.c): each call's
 * command and the attribute fields that name BTF (the BTF's size, a map's BTF fd and its key and
 * value type ids, a program's BTF fd and its counts of func_info and line_info), then its result.
 * The attributes are user memory (the loader's union bpf_attr), read at the UAPI's offsets.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "lab_loader.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 watched_tid = 0;
__u32 lab_watching; /* set by the lab once both programs are attached */
struct lab_bpf_call lab_calls[LAB_CALLS];
__u32 lab_count;

#define READ_ATTR(dst, attr, field)                                                                \
	bpf_probe_read_user(&(dst), sizeof(dst),                                                   \
			    (char *)(attr) + __builtin_offsetof(union bpf_attr, field))

SEC("tp/syscalls/sys_enter_bpf")
int lab_bpf_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 i = lab_count;
	const void *attr = (const void *)ctx->args[1];
	struct lab_bpf_call *call;

	if (!lab_watching || (__u32)bpf_get_current_pid_tgid() != watched_tid || i >= LAB_CALLS)
		return 0;
	call = &lab_calls[i];
	call->cmd = (__u32)ctx->args[0];
	call->ret = -1;
	switch (call->cmd) {
	case BPF_MAP_CREATE:
		READ_ATTR(call->type, attr, map_type);
		READ_ATTR(call->btf_fd, attr, btf_fd);
		READ_ATTR(call->key_type_id, attr, btf_key_type_id);
		READ_ATTR(call->value_type_id, attr, btf_value_type_id);
		READ_ATTR(call->name, attr, map_name);
		break;
	case BPF_PROG_LOAD:
		READ_ATTR(call->type, attr, prog_type);
		READ_ATTR(call->btf_fd, attr, prog_btf_fd);
		READ_ATTR(call->func_info_cnt, attr, func_info_cnt);
		READ_ATTR(call->line_info_cnt, attr, line_info_cnt);
		READ_ATTR(call->name, attr, prog_name);
		break;
	case BPF_BTF_LOAD:
		READ_ATTR(call->btf_size, attr, btf_size);
		break;
	}
	return 0;
}

SEC("tp/syscalls/sys_exit_bpf")
int lab_bpf_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 i = lab_count;

	if (!lab_watching || (__u32)bpf_get_current_pid_tgid() != watched_tid || i >= LAB_CALLS)
		return 0;
	lab_calls[i].ret = ctx->ret;
	lab_count = i + 1;
	return 0;
}
