// kprobe: a perf-event kprobe (kprobe PMU, or legacy tracefs kprobe_events) at a kernel function.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_kprobe.skel.h"
#include "kprobe.skel.h"

namespace probectl {
namespace {

bpf_link *attach_kprobe(bpf_program *program, const ResolvedTarget &target)
{
    bpf_kprobe_opts options{};
    options.sz = sizeof(options);
    options.retprobe = false;
    return bpf_program__attach_kprobe_opts(program, target.attach_point.c_str(), &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_kprobe_strategy(const HookInfo &info)
{
    return make_strategy<kprobe_bpf, args_kprobe_bpf>(info, nullptr, attach_kprobe);
}

}  // namespace probectl
