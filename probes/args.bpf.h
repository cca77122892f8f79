/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the generic objects (args_<hook>.bpf.c) share: an event of typed arguments at any attach
 * point. probectl describes each argument (struct pctl_value_spec) in read-only data before load,
 * so the verifier sees constants and prunes every kind of read an argument does not need.
 */
#ifndef PROBECTL_ARGS_BPF_H
#define PROBECTL_ARGS_BPF_H

#include "common.bpf.h"

const volatile __u32 value_count = 0; /* arguments described in value_specs */
const volatile struct pctl_value_spec value_specs[PCTL_VALUES] = {};

/*
 * A syscall seen through its architecture's wrapper (__x64_sys_openat: kprobe, fentry, fexit) or
 * through the raw tracepoint sys_enter (tp_btf, raw_tp): the context's first argument is the user's
 * struct pt_regs, which holds the syscall's arguments (syscall_regs). The raw tracepoint sees every
 * syscall: syscall_nr picks one.
 */
const volatile __u32 syscall_regs = 0;
const volatile __s32 syscall_nr = -1;

/* Whether sys_enter's syscall (its context's second argument, long id) is the one asked for; any,
 * when none is. A 32-bit task's numbers are its own table's: docs/events.md says what that means.
 */
static __always_inline bool syscall_wanted(const __u64 *ctx)
{
	__s64 id = -1;

	if (syscall_nr < 0)
		return true;
	if (bpf_probe_read_kernel(&id, sizeof(id), ctx + 1))
		return false;
	return id == syscall_nr;
}

/* args[0] is the user's registers: the syscall's six arguments, read from them, replace args. */
static __always_inline void syscall_arguments(__u64 *args)
{
	struct pt_regs *regs = (struct pt_regs *)args[0];

	if (!syscall_regs || !regs)
		return;
	args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	args[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	args[4] = PT_REGS_PARM5_CORE_SYSCALL(regs);
	args[5] = PT_REGS_PARM6_CORE_SYSCALL(regs);
}

/* Reserves an args event and fills in the current task. NULL: filtered out, or dropped. */
static __always_inline struct pctl_args_event *begin_args_event(__u32 hook)
{
	struct pctl_args_event *e = reserve_record(sizeof(*e));

	if (!e)
		return NULL;
	fill_task(e, hook);
	e->has_retval = 0;
	e->read = 0;
	e->faulted = 0;
	e->truncated = 0;
	return e;
}

static __always_inline void submit_args_event(struct pctl_args_event *e)
{
	bpf_ringbuf_submit(e, 0);
	count(PCTL_COUNTER_EMITTED);
}

static __always_inline void set_args_retval(struct pctl_args_event *e, __u64 ret)
{
	e->retval = (__s64)ret;
	e->has_retval = 1;
}

/* A string read's result: its length with the NUL, or a negative errno. */
static __always_inline void note_string(struct pctl_args_event *e, int i, long len)
{
	if (len < 0) {
		e->faulted |= 1u << i;
		e->strings[i][0] = '\0';
		return;
	}
	if (len >= PCTL_VALUE_STR_LEN)
		e->truncated |= 1u << i;
}

/*
 * Argument i, read as its spec (kind, size, where) says: raw is what the hook's context holds for
 * it (a register, a trampoline's u64), or record the tracepoint's record (NULL for other hooks).
 * Strings are bounded and NUL-terminated.
 */
static __always_inline void read_value(struct pctl_args_event *e, int i, __u64 raw,
				       const void *record, __u32 kind, __u32 size, __u32 where)
{
	__u32 loc = 0;

	if (record && (kind == PCTL_VALUE_INT || kind == PCTL_VALUE_USTR ||
		       kind == PCTL_VALUE_KSTR || kind == PCTL_VALUE_STR)) {
		raw = 0;
		if (size > 8 || bpf_probe_read_kernel(&raw, size, record + where)) {
			e->faulted |= 1u << i;
			return;
		}
	}
	if (kind ==
	    PCTL_VALUE_STR) /* memory unnamed: the kernel's addresses have the top bit set */
		kind = (__s64)raw < 0 ? PCTL_VALUE_KSTR : PCTL_VALUE_USTR;
	e->values[i] = raw;
	e->read |= 1u << i;
	switch (kind) {
	case PCTL_VALUE_USTR:
		if (raw)
			note_string(e, i,
				    bpf_probe_read_user_str(e->strings[i], PCTL_VALUE_STR_LEN,
							    (const void *)raw));
		break;
	case PCTL_VALUE_KSTR:
		if (raw)
			note_string(e, i,
				    bpf_probe_read_kernel_str(e->strings[i], PCTL_VALUE_STR_LEN,
							      (const void *)raw));
		break;
	case PCTL_VALUE_CHARS:
		if (!record)
			break;
		note_string(e, i,
			    bpf_probe_read_kernel_str(
				    e->strings[i],
				    size < PCTL_VALUE_STR_LEN ? size + 1 : PCTL_VALUE_STR_LEN,
				    record + where));
		if (size < PCTL_VALUE_STR_LEN)
			e->truncated &= ~(1u << i);
		break;
	case PCTL_VALUE_DATA_LOC:
	case PCTL_VALUE_REL_LOC:
		if (!record || bpf_probe_read_kernel(&loc, sizeof(loc), record + where)) {
			e->faulted |= 1u << i;
			break;
		}
		e->values[i] = loc;
		/* __rel_loc counts from the end of its own u32 field */
		note_string(
			e, i,
			bpf_probe_read_kernel_str(
				e->strings[i], PCTL_VALUE_STR_LEN,
				record + (loc & 0xffff) +
					(kind == PCTL_VALUE_REL_LOC ? where + sizeof(loc) : 0)));
		break;
	default:
		break;
	}
}

/*
 * Every described argument, from an array of what the context holds (args), or from a tracepoint's
 * record. The loop unrolls and value_count is a constant to the verifier: the code for arguments
 * the attach point does not have is pruned, and no context slot past them is touched.
 */
static __always_inline void read_values(struct pctl_args_event *e, const __u64 *args,
					const void *record)
{
#pragma unroll
	for (int i = 0; i < PCTL_VALUES; i++)
		if (i < value_count)
			read_value(e, i, args ? args[i] : 0, record, value_specs[i].kind,
				   value_specs[i].size, value_specs[i].where);
}

/* kprobe, uprobe: the first six arguments, in the registers the calling convention puts them in. */
#define REGISTER_ARGS(ctx)                                                                         \
	{                                                                                          \
		PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx), PT_REGS_PARM4(ctx),    \
			PT_REGS_PARM5(ctx), PT_REGS_PARM6(ctx)                                     \
	}

static __always_inline void read_register_values(struct pctl_args_event *e, struct pt_regs *ctx)
{
	__u64 args[PCTL_VALUES] = REGISTER_ARGS(ctx);

	syscall_arguments(args);
	read_values(e, args, NULL);
}

/*
 * fentry, fexit, tp_btf, lsm, raw_tp: the context is the arguments as u64. Each slot is copied with
 * a helper, not loaded: a direct load is checked against the slot's BTF type, and before 5.17 the
 * verifier refuses a pointer to anything but a struct ("arg1 type INT is not a struct"). Only the
 * slots the attach point has are touched: value_count is at most its parameter count.
 */
static __always_inline void read_btf_values(struct pctl_args_event *e, const __u64 *ctx)
{
	__u64 args[PCTL_VALUES] = {};

#pragma unroll
	for (int i = 0; i < PCTL_VALUES; i++)
		if (syscall_regs ? i == 0 : i < value_count) /* a syscall's: the registers only */
			bpf_probe_read_kernel(&args[i], sizeof(args[i]), ctx + i);
	syscall_arguments(args);
	read_values(e, args, NULL);
}

#endif /* PROBECTL_ARGS_BPF_H */
