/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For probectl lab 17: what probes/lab_core_offset.bpf.c and its build without -g leave of one
 * exec's bprm->filename, shared by the BPF objects (C) and probectl (C++). Fixed-width fields only.
 */
#ifndef PROBECTL_LAB_CORE_OFFSET_H
#define PROBECTL_LAB_CORE_OFFSET_H

#include "event.h" /* pctl_u32, pctl_s64 */

#define LAB_NAME 128

struct lab_name_read {
	pctl_s64
		ret; /* bpf_probe_read_kernel_str's: the length with its NUL, or a negative errno */
	char text[LAB_NAME];
};

/* probes/lab_core_offset_nodebug.bpf.c's one global: without BTF its skeleton has no typed .bss,
 * so the lab reads the map's memory as this struct */
struct lab_nodebug_state {
	pctl_u32 target_tgid; /* the lab's child, set before it execs */
	struct lab_name_read fixed_read;
};

#endif /* PROBECTL_LAB_CORE_OFFSET_H */
