/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record every lab exercise emits, shared by the learner's BPF C and probectl's checker (C++).
 * Fixed-width fields only, so that both sides agree on the layout.
 */
#ifndef PROBECTL_EXERCISE_H
#define PROBECTL_EXERCISE_H

#ifdef __cplusplus
#include <cstdint>
typedef std::uint32_t ex_u32;
typedef std::int64_t ex_s64;
#else
typedef __u32 ex_u32;
typedef __s64 ex_s64;
#endif

#define EXERCISE_FILENAME_LEN 256

struct exercise_event {
	ex_u32 pid;  /* the thread group id, as userspace calls it: the process id */
	ex_u32 ppid; /* the parent's process id */
	ex_s64 retval;
	char filename[EXERCISE_FILENAME_LEN];
};

#endif /* PROBECTL_EXERCISE_H */
