/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lab 14 exercise: one syscall at the raw tracepoint that sees them all.
 *
 * raw_tp/sys_enter runs at the entry of every syscall of every task. Its two arguments are the
 * user's registers as the syscall found them (struct pt_regs *, kernel memory) and the syscall's
 * number (long). Keep openat only: its number on this architecture is __NR_openat (257 on x86-64;
 * vmlinux.h does not define it, so write it down). Send its file name (the syscall's second
 * argument, a pointer into the caller's memory) in e->filename and its flags (the third) in
 * e->retval.
 *
 * bpf_tracing.h reads a syscall's arguments from such registers: PT_REGS_PARM2_CORE_SYSCALL(regs).
 *
 * The checker's child opens files whose names and flags it draws at random, with other syscalls in
 * between: every openat must be sent, in order, and nothing else.
 *
 * Check it: probectl lab check 14 --solution THIS_FILE
 */
#include "exercise.bpf.h"

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	struct exercise_event *e;

	/* TODO: return 0 unless id is openat's number */
	e = exercise_reserve();
	if (!e)
		return 0;
	/* TODO: e->filename = the user's string at the second argument */
	/* TODO: e->retval = the flags, the third argument */
	exercise_submit(e);
	return 0;
}
