/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 10: user versus kernel memory. The same file name of one exec is read twice from
 * where it lives in user memory (the execve syscall's pointer) and twice from where the kernel
 * keeps it (bprm->filename): once with the right helper and once with the wrong one. What each
 * helper returned, and what it read, is left in a map for probectl to show.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "lab_memory.h"

const volatile __u32 targ_tgid = 0; /* the lab's child */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lab_memory);
} results SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline struct lab_memory *mine(void)
{
	__u32 zero = 0;

	if ((bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return NULL;
	return bpf_map_lookup_elem(&results, &zero);
}

SEC("tp/syscalls/sys_enter_execve")
int lab_memory_user(struct trace_event_raw_sys_enter *ctx)
{
	struct lab_memory *m = mine();
	const char *path = (const char *)ctx->args[0];

	if (!m)
		return 0;
	m->user_as_user.ret = bpf_probe_read_user_str(m->user_as_user.text, LAB_TEXT, path);
	m->user_as_kernel.ret = bpf_probe_read_kernel_str(m->user_as_kernel.text, LAB_TEXT, path);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(lab_memory_kernel, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct lab_memory *m = mine();
	const char *name = BPF_CORE_READ(bprm, filename);

	if (!m)
		return 0;
	m->kernel_as_kernel.ret =
		bpf_probe_read_kernel_str(m->kernel_as_kernel.text, LAB_TEXT, name);
	m->kernel_as_user.ret = bpf_probe_read_user_str(m->kernel_as_user.text, LAB_TEXT, name);
	return 0;
}
