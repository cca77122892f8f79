// fentry: a BPF trampoline at a BTF-described kernel function, named before load.
#include "attach/strategy.h"
#include "fentry.skel.h"

namespace probectl {

std::unique_ptr<AttachStrategy> make_fentry_strategy(const HookInfo &info)
{
    return make_strategy<fentry_bpf>(info, set_btf_attach_target, attach_btf_trace);
}

}  // namespace probectl
