/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 15: an object's anatomy. What clang puts in a BPF object and what libbpf and the
 * skeleton make of it: a license section, a .maps section (one map), a global variable (.bss), two
 * programs in one section told apart by their names, one program in a section of its own, and the
 * BTF (.BTF) and line and function information (.BTF.ext) of all of it. The lab loads it (a GPL
 * object may call GPL-only helpers) and never attaches it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} lab_counts SEC(".maps");

__u64 lab_calls; /* in .bss */

SEC("tp/syscalls/sys_enter_getppid")
int lab_first(void *ctx)
{
	__u32 key = 1;
	__u64 one = 1;

	bpf_map_update_elem(&lab_counts, &key, &one, BPF_ANY);
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int lab_second(void *ctx)
{
	lab_calls++;
	return 0;
}

/* bpf_probe_read_kernel is GPL-only: loadable here, refused in lab_anatomy_nongpl.bpf.c */
SEC("tp/syscalls/sys_enter_getpgid")
int lab_gpl_helper(void *ctx)
{
	__u64 value = 0;

	bpf_probe_read_kernel(&value, sizeof(value), ctx);
	lab_calls += value & 1;
	return 0;
}
