// kprobe.multi: one link on every function of the resolved list; each function's cookie is its place
// in the list (from 1), so that an event names the function it fired on, and, above it, where its
// arguments are.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_kprobe_multi.skel.h"
#include "kprobe_multi.skel.h"

#include <vector>

namespace probectl {
namespace {

bpf_link *attach_kprobe_multi(bpf_program *program, const ResolvedTarget &target)
{
    std::vector<const char *> functions;
    for (const auto &site : target.sites)
        functions.push_back(site.name.c_str());
    std::vector<__u64> cookies = site_cookies(target);
    bpf_kprobe_multi_opts options{};
    options.sz = sizeof(options);
    options.syms = functions.data();
    options.cookies = cookies.data();
    options.cnt = functions.size();
    return bpf_program__attach_kprobe_multi_opts(program, nullptr, &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_kprobe_multi_strategy(const HookInfo &info)
{
    return make_strategy<kprobe_multi_bpf, args_kprobe_multi_bpf>(info, nullptr, attach_kprobe_multi);
}

}  // namespace probectl
