// uprobe: a uprobe (uprobe PMU) at a file offset of an ELF binary, in every process that maps it.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_uprobe.skel.h"
#include "uprobe.skel.h"

namespace probectl {
namespace {

bpf_link *attach_uprobe(bpf_program *program, const ResolvedTarget &target)
{
    bpf_uprobe_opts options{};
    options.sz = sizeof(options);
    options.retprobe = false;
    return bpf_program__attach_uprobe_opts(program, -1, target.attach_point.c_str(), target.offset, &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_uprobe_strategy(const HookInfo &info)
{
    return make_strategy<uprobe_bpf, args_uprobe_bpf>(info, nullptr, attach_uprobe);
}

}  // namespace probectl
