/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What probes/lab_memory.bpf.c leaves for probectl lab 10: each read helper's return value and
 * what it read, shared by the BPF object (C) and probectl (C++). Fixed-width fields only.
 */
#ifndef PROBECTL_LAB_MEMORY_H
#define PROBECTL_LAB_MEMORY_H

#include "event.h" /* pctl_s64 */

#define LAB_TEXT 64

struct lab_read {
	pctl_s64 ret; /* the helper's return: the length read with its NUL, or a negative errno */
	char text[LAB_TEXT];
};

struct lab_memory {
	struct lab_read user_as_user;	  /* syscall argument, bpf_probe_read_user_str */
	struct lab_read user_as_kernel;	  /* syscall argument, bpf_probe_read_kernel_str */
	struct lab_read kernel_as_kernel; /* bprm->filename, bpf_probe_read_kernel_str */
	struct lab_read kernel_as_user;	  /* bprm->filename, bpf_probe_read_user_str */
};

#endif /* PROBECTL_LAB_MEMORY_H */
