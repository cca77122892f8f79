// fexit: a BPF trampoline at the return of a BTF-described kernel function, named before load.
#include "attach/strategy.h"
#include "fexit.skel.h"

namespace probectl {

std::unique_ptr<AttachStrategy> make_fexit_strategy(const HookInfo &info)
{
    return make_strategy<fexit_bpf>(info, set_btf_attach_target, attach_btf_trace);
}

}  // namespace probectl
