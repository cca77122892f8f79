/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Lab 14 exercise, reference solution: openat's arguments at sys_enter, every other syscall left.
 */
#include "exercise.bpf.h"

#define OPENAT_NR 257 /* __NR_openat on x86-64 */

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	struct exercise_event *e;

	if (id != OPENAT_NR)
		return 0;
	e = exercise_reserve();
	if (!e)
		return 0;
	bpf_probe_read_user_str(e->filename, sizeof(e->filename),
				(const char *)PT_REGS_PARM2_CORE_SYSCALL(regs));
	e->retval = (int)PT_REGS_PARM3_CORE_SYSCALL(regs);
	exercise_submit(e);
	return 0;
}
