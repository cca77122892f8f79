/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 17: CO-RE against a hard-coded offset. One program reads the file name an exec runs
 * twice: with BPF_CORE_READ(bprm, filename), which clang records as a relocation (vmlinux.h marks
 * every struct preserve_access_index) and libbpf patches to the running kernel's offset; and at
 * the offset linux_binprm.filename has in the build machine's vmlinux.h, written into the
 * instruction as a constant. probes/lab_core_offset_nodebug.bpf.c is the hard-coded read alone,
 * built without -g.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "lab_core_offset.h"

char LICENSE[] SEC("license") = "GPL";

/* the build machine's offset, for the lab to show; the program uses the constant itself */
const volatile __u32 build_offset = __builtin_offsetof(struct linux_binprm, filename);

__u32 target_tgid; /* the lab's child, set before it execs */
struct lab_name_read core_read, fixed_read;

SEC("raw_tp/sched_process_exec")
int lab_core_read(__u64 *ctx)
{
	struct linux_binprm *bprm = (struct linux_binprm *)ctx[2];
	const char *core = 0, *fixed = 0;

	if (bpf_get_current_pid_tgid() >> 32 != target_tgid)
		return 0;
	core = BPF_CORE_READ(bprm, filename);
	bpf_probe_read_kernel(&fixed, sizeof(fixed),
			      (char *)bprm + __builtin_offsetof(struct linux_binprm, filename));
	core_read.ret = bpf_probe_read_kernel_str(core_read.text, sizeof(core_read.text), core);
	fixed_read.ret = bpf_probe_read_kernel_str(fixed_read.text, sizeof(fixed_read.text), fixed);
	return 0;
}
