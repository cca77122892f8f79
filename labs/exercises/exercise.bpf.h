/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every lab exercise starts from: the kernel's types, libbpf's helpers, the ring buffer
 * probectl's checker reads ("events"), and two helpers to reserve and send a record.
 */
#ifndef PROBECTL_EXERCISE_BPF_H
#define PROBECTL_EXERCISE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "exercise.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

/* A zeroed record with pid set to the current process, or NULL when the ring buffer is full. */
static __always_inline struct exercise_event *exercise_reserve(void)
{
	struct exercise_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->pid = bpf_get_current_pid_tgid() >> 32;
	return e;
}

static __always_inline void exercise_submit(struct exercise_event *e)
{
	bpf_ringbuf_submit(e, 0);
}

#endif /* PROBECTL_EXERCISE_BPF_H */
