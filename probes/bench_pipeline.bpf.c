/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl bench, pipeline tier: writes exec-sized pctl_events into the ring buffer on each getpgid
 * of the benchmark's process, so that probectl's userspace side (ring buffer, decode, sink) can be
 * measured on a known number of events. Not a hook comparison: the producer is the same for all.
 * probectl resizes the ring buffer before load; the default is the hooks' own size.
 */
#include "common.bpf.h" /* the hooks' ring buffer, counters and targ_tgid */

const volatile __u32 events_per_trigger = 1; /* events written per getpgid, at most 64 */

/* An exec-sized event, as the hooks write them: header, comm, a filename and two arguments. */
SEC("tracepoint/syscalls/sys_enter_getpgid")
int bench_pipeline(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pctl_event *e;

	if ((pid_tgid >> 32) != targ_tgid)
		return 0;
	for (__u32 i = 0; i < 64 && i < events_per_trigger; i++) {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e) {
			count(PCTL_COUNTER_DROPPED);
			continue;
		}
		e->ktime_ns = bpf_ktime_get_ns();
		e->retval = 0;
		e->hook = PCTL_HOOK_TRACEPOINT;
		e->cpu = bpf_get_smp_processor_id();
		e->pid = (__u32)pid_tgid;
		e->tgid = pid_tgid >> 32;
		e->ppid = 0;
		e->old_pid = 0;
		e->uid = 0;
		e->gid = 0;
		e->missing = 0;
		e->truncated = 0;
		e->argc = 2;
		e->site = 0;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		__builtin_memcpy(e->filename, "/usr/bin/true", 14);
		__builtin_memcpy(e->argv[0], "true", 5);
		__builtin_memcpy(e->argv[1], "--bench", 8);
		bpf_ringbuf_submit(e, 0);
		count(PCTL_COUNTER_EMITTED);
	}
	return 0;
}
