// kretprobe: a kprobe on the return of a kernel function.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_kretprobe.skel.h"
#include "kretprobe.skel.h"

namespace probectl {
namespace {

bpf_link *attach_kretprobe(bpf_program *program, const ResolvedTarget &target)
{
    bpf_kprobe_opts options{};
    options.sz = sizeof(options);
    options.retprobe = true;
    return bpf_program__attach_kprobe_opts(program, target.attach_point.c_str(), &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_kretprobe_strategy(const HookInfo &info)
{
    return make_strategy<kretprobe_bpf, args_kretprobe_bpf>(info, nullptr, attach_kretprobe);
}

}  // namespace probectl
