// fexit: a BPF trampoline at the return of a BTF-described kernel function, named before load.
#include "attach/strategy.h"
#include "fexit.skel.h"

namespace probectl {
namespace {

bpf_link *attach_fexit(bpf_program *program, const ResolvedTarget &target)
{
    (void)target;
    return bpf_program__attach_trace(program);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_fexit_strategy(const HookInfo &info)
{
    return make_strategy<fexit_bpf>(info, set_btf_attach_target, attach_fexit);
}

}  // namespace probectl
