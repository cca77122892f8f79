/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For probectl lab 16: what probes/lab_loader_watch.bpf.c records of each bpf() call, and the
 * key and value of probes/lab_loader.bpf.c's hash map, shared by the
 * BPF object (C) and probectl (C++). Fixed-width fields only.
 */
#ifndef PROBECTL_LAB_LOADER_H
#define PROBECTL_LAB_LOADER_H

#include "event.h" /* pctl_u32, pctl_s64 */

#define LAB_CALLS 64

struct lab_bpf_call {
	pctl_u32 cmd;
	pctl_u32 type; /* map_type or prog_type */
	pctl_u32 btf_fd;
	pctl_u32 key_type_id, value_type_id;   /* BPF_MAP_CREATE */
	pctl_u32 func_info_cnt, line_info_cnt; /* BPF_PROG_LOAD */
	pctl_u32 btf_size;		       /* BPF_BTF_LOAD */
	char name[16];			       /* map_name or prog_name */
	pctl_s64 ret;
};

/* probes/lab_loader.bpf.c's hash map: described in the object's BTF, dumped by name */
struct lab_key {
	pctl_u32 tgid;
};

struct lab_value {
	pctl_u64 calls;
	pctl_u64 last_ns;
};

#endif /* PROBECTL_LAB_LOADER_H */
