// fentry: a BPF trampoline at a BTF-described kernel function, named before load.
#include "attach/strategy.h"
#include "fentry.skel.h"

namespace probectl {
namespace {

bpf_link *attach_fentry(bpf_program *program, const ResolvedTarget &target)
{
    (void)target;
    return bpf_program__attach_trace(program);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_fentry_strategy(const HookInfo &info)
{
    return make_strategy<fentry_bpf>(info, set_btf_attach_target, attach_fentry);
}

}  // namespace probectl
