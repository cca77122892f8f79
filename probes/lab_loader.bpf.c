/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 16: the object whose loading the lab watches. A hash map whose key and value are
 * described in the object's BTF, a perf event array (whose values are file descriptors, which the
 * kernel takes without BTF), and one program, which carries func_info and line_info.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "lab_loader.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct lab_key);
	__type(value, struct lab_value);
} lab_values SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} lab_events SEC(".maps");

SEC("tp/syscalls/sys_enter_getppid")
int lab_count_calls(void *ctx)
{
	struct lab_key key = {.tgid = bpf_get_current_pid_tgid() >> 32};
	struct lab_value *value = bpf_map_lookup_elem(&lab_values, &key);

	if (!value)
		return 0;
	value->calls++;
	value->last_ns = bpf_ktime_get_ns();
	bpf_perf_event_output(ctx, &lab_events, BPF_F_CURRENT_CPU, &key, sizeof(key));
	return 0;
}
