/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every probectl hook object shares: the filters set before load, the ring buffer, the
 * counters, and the readers that turn a hook's arguments into a pctl_event. Each <hook>.bpf.c only
 * says how its context hands over the arguments.
 */
#ifndef PROBECTL_COMMON_BPF_H
#define PROBECTL_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "event.h"

/* Filters and attach-point facts, written by probectl between open and load (read-only data). */
const volatile __u32 targ_tgid = 0;	   /* 0: any process */
const volatile __u32 targ_ancestor = 0;	   /* 0: any; else this process and its descendants */
const volatile __u32 targ_uid = (__u32)-1; /* -1: any user */
const volatile char targ_comm[PCTL_COMM_LEN] = {};  /* empty: any command */
const volatile __u64 targ_cgroup = 0;		    /* 0: any; else this cgroup v2 id */
const volatile __u32 arg_layout = PCTL_LAYOUT_NONE; /* enum pctl_arg_layout */
const volatile __u32 func_nargs = 0; /* fexit: parameter count of the traced function (from BTF) */
const volatile __u32 ret_size = 8;   /* bytes of the return type: 4 for int (eax, not rax) */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PCTL_COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

static __always_inline bool comm_matches(void)
{
	char comm[PCTL_COMM_LEN];

	if (!targ_comm[0])
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
	for (int i = 0; i < PCTL_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* How far up the parent chain a descendant of targ_ancestor is looked for. */
#define PCTL_ANCESTOR_DEPTH 8

/* A workload is a process tree: its root, its children (one per scenario) and what they start. */
static __always_inline bool descends_from_ancestor(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

#pragma unroll
	for (int i = 0; i < PCTL_ANCESTOR_DEPTH; i++) {
		__u32 tgid = BPF_CORE_READ(task, tgid);

		if (tgid == targ_ancestor)
			return true;
		if (tgid <= 1)
			return false;
		task = BPF_CORE_READ(task, real_parent);
	}
	return false;
}

static __always_inline bool wanted(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (targ_tgid && tgid != targ_tgid)
		return false;
	if (targ_ancestor && !descends_from_ancestor())
		return false;
	if (targ_uid != (__u32)-1 && (__u32)bpf_get_current_uid_gid() != targ_uid)
		return false;
	if (targ_cgroup && bpf_get_current_cgroup_id() != targ_cgroup)
		return false;
	return comm_matches();
}

/* A ring buffer record of size bytes for a wanted task. NULL: filtered out, or dropped. */
static __always_inline void *reserve_record(__u64 size)
{
	void *record;

	if (!wanted())
		return NULL;
	record = bpf_ringbuf_reserve(&events, size, 0);
	if (!record)
		count(PCTL_COUNTER_DROPPED);
	return record;
}

/* The task fields pctl_event and pctl_args_event both begin with (a macro: two record types). */
#define fill_task(e, hook_id)                                                                      \
	do {                                                                                       \
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();           \
		__u64 pid_tgid = bpf_get_current_pid_tgid();                                       \
		__u64 uid_gid = bpf_get_current_uid_gid();                                         \
                                                                                                   \
		(e)->ktime_ns = bpf_ktime_get_ns();                                                \
		(e)->retval = 0;                                                                   \
		(e)->hook = (hook_id);                                                             \
		(e)->cpu = bpf_get_smp_processor_id();                                             \
		(e)->pid = (__u32)pid_tgid;                                                        \
		(e)->tgid = pid_tgid >> 32;                                                        \
		(e)->ppid = BPF_CORE_READ(task, real_parent, tgid);                                \
		(e)->uid = (__u32)uid_gid;                                                         \
		(e)->gid = uid_gid >> 32;                                                          \
		(e)->site = 0;                                                                     \
		bpf_get_current_comm((e)->comm, sizeof((e)->comm));                                \
	} while (0)

/* Reserves an event and fills in the current task. NULL: filtered out, or dropped. */
static __always_inline struct pctl_event *begin_event(__u32 hook)
{
	struct pctl_event *e = reserve_record(sizeof(*e));

	if (!e)
		return NULL;
	fill_task(e, hook);
	e->old_pid = 0;
	e->missing = PCTL_MISSING_FILENAME | PCTL_MISSING_ARGV | PCTL_MISSING_RETVAL |
		     PCTL_MISSING_OLD_PID;
	e->truncated = 0;
	e->argc = 0;
	e->filename[0] = '\0';
	return e;
}

static __always_inline void submit_event(struct pctl_event *e)
{
	bpf_ringbuf_submit(e, 0);
	count(PCTL_COUNTER_EMITTED);
}

/*
 * fexit: the return value. Without bpf_get_func_ret() (before 5.17) it follows the arguments, at
 * ctx[func_nargs]: read through a helper, as clang turns ctx[n] into "ctx += 8n; load", and the
 * verifier refuses a load through a moved context pointer.
 */
static __always_inline __u64 fexit_return_value(__u64 *ctx)
{
	__u64 ret = 0;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ret))
		bpf_get_func_ret(ctx, &ret);
	else
		bpf_probe_read_kernel(&ret, sizeof(ret), ctx + func_nargs);
	return ret;
}

/* An int return leaves the upper half of the register undefined: sign-extend its low 32 bits. */
static __always_inline void set_retval(struct pctl_event *e, long ret)
{
	e->retval = ret_size == 4 ? (long)(int)ret : ret;
	e->missing &= ~PCTL_MISSING_RETVAL;
}

/* A string that fills the whole buffer may have been cut: say so rather than be silent. */
static __always_inline void note_filename(struct pctl_event *e, long len)
{
	if (len <= 0)
		return;
	e->missing &= ~PCTL_MISSING_FILENAME;
	if (len >= PCTL_FILENAME_LEN)
		e->truncated |= PCTL_TRUNC_FILENAME;
}

static __always_inline void read_user_filename(struct pctl_event *e, const char *path)
{
	note_filename(e, bpf_probe_read_user_str(e->filename, sizeof(e->filename), path));
}

static __always_inline void read_kernel_filename(struct pctl_event *e, const char *path)
{
	note_filename(e, bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), path));
}

/* argv as the exec caller passed it: an array of user pointers in the calling process. */
static __always_inline void read_user_argv(struct pctl_event *e, const char *const *argv)
{
	const char *arg;
	long len;

	if (!argv)
		return;
	e->missing &= ~PCTL_MISSING_ARGV;
#pragma unroll
	for (int i = 0; i < PCTL_MAX_ARGS; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			return;
		len = bpf_probe_read_user_str(e->argv[i], PCTL_ARG_LEN, arg);
		if (len <= 0)
			return;
		if (len >= PCTL_ARG_LEN)
			e->truncated |= PCTL_TRUNC_ARG;
		e->argc = i + 1;
	}
	if (!bpf_probe_read_user(&arg, sizeof(arg), &argv[PCTL_MAX_ARGS]) && arg)
		e->truncated |= PCTL_TRUNC_ARGC;
}

/* argv after exec: the new image's strings, packed between mm->arg_start and mm->arg_end. */
static __always_inline void read_mm_argv(struct pctl_event *e)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	long len;

	if (!start || end <= start)
		return;
	e->missing &= ~PCTL_MISSING_ARGV;
#pragma unroll
	for (int i = 0; i < PCTL_MAX_ARGS; i++) {
		if (start >= end)
			return;
		len = bpf_probe_read_user_str(e->argv[i], PCTL_ARG_LEN, (const void *)start);
		if (len <= 0)
			return;
		e->argc = i + 1;
		if (len >= PCTL_ARG_LEN) {
			/* the rest lies beyond the buffer: stop, not misalign */
			e->truncated |= PCTL_TRUNC_ARG | PCTL_TRUNC_ARGC;
			return;
		}
		start += len;
	}
	if (start < end)
		e->truncated |= PCTL_TRUNC_ARGC;
}

static __always_inline void read_bprm_filename(struct pctl_event *e, struct linux_binprm *bprm)
{
	read_kernel_filename(e, BPF_CORE_READ(bprm, filename));
}

/* How many leading arguments the layout reads: fentry/tp_btf must not touch more. */
static __always_inline int layout_nargs(void)
{
	switch (arg_layout) {
	case PCTL_LAYOUT_BPRM0:
		return 1;
	case PCTL_LAYOUT_KFILENAME0_UARGV1:
	case PCTL_LAYOUT_UPATH0_UARGV1:
		return 2;
	case PCTL_LAYOUT_UPATH1_UARGV2:
	case PCTL_LAYOUT_SCHED_EXEC:
		return 3;
	default:
		return 0;
	}
}

/*
 * Fills filename, argv and old_pid from the first three arguments, as the layout says: a hook on
 * many functions learns each one's layout from its attach cookie, at run time.
 */
static __always_inline void capture_args_as(struct pctl_event *e, __u32 layout, __u64 a0, __u64 a1,
					    __u64 a2)
{
	switch (layout) {
	case PCTL_LAYOUT_BPRM0:
		read_bprm_filename(e, (struct linux_binprm *)a0);
		break;
	case PCTL_LAYOUT_KFILENAME0_UARGV1:
		read_kernel_filename(e, BPF_CORE_READ((struct filename *)a0, name));
		read_user_argv(e, (const char *const *)a1);
		break;
	case PCTL_LAYOUT_UPATH0_UARGV1:
		read_user_filename(e, (const char *)a0);
		read_user_argv(e, (const char *const *)a1);
		break;
	case PCTL_LAYOUT_UPATH1_UARGV2:
		read_user_filename(e, (const char *)a1);
		read_user_argv(e, (const char *const *)a2);
		break;
	case PCTL_LAYOUT_SCHED_EXEC:
		e->old_pid = (__u32)a1;
		e->missing &= ~PCTL_MISSING_OLD_PID;
		read_bprm_filename(e, (struct linux_binprm *)a2);
		read_mm_argv(e);
		break;
	default:
		break;
	}
}

/* kprobe.multi, uprobe.multi: an attach cookie is (argument layout << 16 | site), sites from 1. */
static __always_inline __u32 cookie_site(__u64 cookie)
{
	return (__u32)(cookie & 0xffff);
}

/* The exec fields at the function a hook on many fired on: its site and layout from the cookie. */
static __always_inline void capture_at_site(struct pctl_event *e, struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);

	e->site = cookie_site(cookie);
	capture_args_as(e, (__u32)(cookie >> 16), PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx),
			PT_REGS_PARM3(ctx));
}

/* As capture_args_as(), with the layout set in read-only data before load (pruned by the verifier).
 */
static __always_inline void capture_args(struct pctl_event *e, __u64 a0, __u64 a1, __u64 a2)
{
	capture_args_as(e, arg_layout, a0, a1, a2);
}

/*
 * fentry, fexit and tp_btf: the context is the attach point's arguments as u64, typed by BTF.
 * Reading past the last argument is refused at load, so only the arguments the layout needs are
 * touched.
 */
static __always_inline void capture_btf_args(struct pctl_event *e, __u64 *ctx)
{
	int nargs = layout_nargs();

	capture_args(e, nargs > 0 ? ctx[0] : 0, nargs > 1 ? ctx[1] : 0, nargs > 2 ? ctx[2] : 0);
}

#endif /* PROBECTL_COMMON_BPF_H */
