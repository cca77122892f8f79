/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Generic kprobe.multi: many kernel functions in one link, each with its own argument list (from
 * its BTF prototype), found by the site its attach cookie carries in the site_values map.
 */
#include "args.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* probectl sets one entry a site, and site 0, before load */
	__type(key, __u32);
	__type(value, struct pctl_site_values);
} site_values SEC(".maps");

SEC("kprobe.multi")
int pctl_args_kprobe_multi(struct pt_regs *ctx)
{
	struct pctl_args_event *e = begin_args_event(PCTL_HOOK_KPROBE_MULTI);
	__u64 args[PCTL_VALUES] = REGISTER_ARGS(ctx);
	struct pctl_site_values *site;
	__u32 key;

	if (!e)
		return 0;
	syscall_arguments(args);
	e->site = cookie_site(bpf_get_attach_cookie(ctx));
	key = e->site;
	site = bpf_map_lookup_elem(&site_values, &key);
	if (site) {
#pragma unroll
		for (int i = 0; i < PCTL_VALUES; i++)
			if (i < site->count)
				read_value(e, i, args[i], NULL, site->specs[i].kind,
					   site->specs[i].size, site->specs[i].where);
	}
	submit_args_event(e);
	return 0;
}
