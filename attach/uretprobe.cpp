// uretprobe: a uprobe on the return of a user-space function.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_uretprobe.skel.h"
#include "uretprobe.skel.h"

namespace probectl {
namespace {

bpf_link *attach_uretprobe(bpf_program *program, const ResolvedTarget &target)
{
    bpf_uprobe_opts options{};
    options.sz = sizeof(options);
    options.retprobe = true;
    return bpf_program__attach_uprobe_opts(program, -1, target.attach_point.c_str(), target.offset, &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_uretprobe_strategy(const HookInfo &info)
{
    return make_strategy<uretprobe_bpf, args_uretprobe_bpf>(info, nullptr, attach_uretprobe);
}

}  // namespace probectl
