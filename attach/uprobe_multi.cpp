// uprobe.multi: one link on every function of the resolved list, at their file offsets; each
// function's cookie is its place in the list (from 1) and, above it, its argument layout.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_uprobe_multi.skel.h"
#include "uprobe_multi.skel.h"

#include <vector>

namespace probectl {
namespace {

bpf_link *attach_uprobe_multi(bpf_program *program, const ResolvedTarget &target)
{
    std::vector<unsigned long> offsets;
    for (const auto &site : target.sites)
        offsets.push_back(site.offset);
    std::vector<__u64> cookies = site_cookies(target);
    bpf_uprobe_multi_opts options{};
    options.sz = sizeof(options);
    options.offsets = offsets.data();
    options.cookies = cookies.data();
    options.cnt = offsets.size();
    return bpf_program__attach_uprobe_multi(program, -1, target.attach_point.c_str(), nullptr, &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_uprobe_multi_strategy(const HookInfo &info)
{
    return make_strategy<uprobe_multi_bpf, args_uprobe_multi_bpf>(info, nullptr, attach_uprobe_multi);
}

}  // namespace probectl
