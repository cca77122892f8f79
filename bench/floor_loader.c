/* probectl bench's floor: the least a libbpf program can do to show one exec through the
 * tracepoint hook. It opens, loads and attaches probectl's own tracepoint skeleton at
 * syscalls:sys_enter_execve, with the argument layout `probectl attach --type tracepoint execve`
 * sets, waits for the first event in the ring buffer, prints one line and detaches as it exits.
 * No C++ runtime, no target resolution, no formatting: the start-up tier measures probectl's
 * attach against it (docs/benchmarks.md), and its time is the physical limit of this design. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "tracepoint.skel.h"

static int seen;

static int on_event(void *ctx, void *data, size_t size)
{
    const struct pctl_event *event = data;

    (void)ctx;
    if (size < sizeof(*event))
        return 0;
    printf("event pid %u\n", event->tgid);
    fflush(stdout);
    seen = 1;
    return 1; /* one is enough: stop consuming */
}

int main(void)
{
    struct tracepoint_bpf *skel = tracepoint_bpf__open();
    struct ring_buffer *ring = NULL;
    int err = 0;

    if (!skel) {
        fprintf(stderr, "probectl-floor: opening the tracepoint object failed: %s\n", strerror(errno));
        return 1;
    }
    skel->rodata->arg_layout = PCTL_LAYOUT_UPATH0_UARGV1;
    err = tracepoint_bpf__load(skel);
    if (!err) {
        skel->links.pctl_tracepoint =
            bpf_program__attach_tracepoint(skel->progs.pctl_tracepoint, "syscalls", "sys_enter_execve");
        if (!skel->links.pctl_tracepoint)
            err = -errno;
    }
    if (!err) {
        ring = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
        if (!ring)
            err = -errno;
    }
    while (!err && !seen) {
        const int n = ring_buffer__poll(ring, 100);

        if (n < 0 && n != -EINTR)
            err = n;
    }
    if (err)
        fprintf(stderr, "probectl-floor: %s\n", strerror(-err));
    ring_buffer__free(ring);
    tracepoint_bpf__destroy(skel);
    return err ? 1 : 0;
}
