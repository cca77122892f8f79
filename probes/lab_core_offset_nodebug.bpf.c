/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probectl lab 17: the hard-coded read of probes/lab_core_offset.bpf.c alone, built without -g (its
 * name ends in _nodebug: cmake/BpfObjects.cmake leaves -g out). Without -g clang writes no .BTF and
 * no .BTF.ext, so there is nothing for libbpf to relocate, and BPF_CORE_READ would not compile:
 * "using builtin_preserve_access_index() without -g".
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "lab_core_offset.h"

char LICENSE[] SEC("license") = "GPL";

struct lab_nodebug_state lab_state;

SEC("raw_tp/sched_process_exec")
int lab_fixed_read(__u64 *ctx)
{
	char *bprm = (char *)ctx[2];
	const char *fixed = 0;

	if (bpf_get_current_pid_tgid() >> 32 != lab_state.target_tgid)
		return 0;
	bpf_probe_read_kernel(&fixed, sizeof(fixed),
			      bprm + __builtin_offsetof(struct linux_binprm, filename));
	lab_state.fixed_read.ret = bpf_probe_read_kernel_str(
		lab_state.fixed_read.text, sizeof(lab_state.fixed_read.text), fixed);
	return 0;
}
