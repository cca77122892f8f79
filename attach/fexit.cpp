// fexit: a BPF trampoline at the return of a BTF-described kernel function, named before load.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_fexit.skel.h"
#include "fexit.skel.h"

namespace probectl {

std::unique_ptr<AttachStrategy> make_fexit_strategy(const HookInfo &info)
{
    return make_strategy<fexit_bpf, args_fexit_bpf>(info, set_btf_attach_target, attach_btf_trace);
}

}  // namespace probectl
