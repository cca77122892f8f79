/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Lab 11 exercise, reference solution: libc's execve, its file name and its return value. */
#include "exercise.bpf.h"

/* The name's pointer, by thread id, from the call's entry to its return. A successful exec never
 * returns, and leaves its entry behind: an LRU map makes room by evicting the oldest. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, const char *);
} names SEC(".maps");

SEC("uprobe/libc.so.6:execve")
int BPF_KPROBE(exec_entry, const char *filename)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&names, &tid, &filename, BPF_ANY);
	return 0;
}

SEC("uretprobe/libc.so.6:execve")
int BPF_KRETPROBE(exec_return, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	const char **filename = bpf_map_lookup_elem(&names, &tid);
	struct exercise_event *e;

	if (!filename)
		return 0;
	e = exercise_reserve();
	if (e) {
		bpf_probe_read_user_str(e->filename, sizeof(e->filename), *filename);
		e->retval = ret;
		exercise_submit(e);
	}
	bpf_map_delete_elem(&names, &tid);
	return 0;
}
