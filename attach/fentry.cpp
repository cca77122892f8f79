// fentry: a BPF trampoline at a BTF-described kernel function, named before load.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_fentry.skel.h"
#include "fentry.skel.h"

namespace probectl {

std::unique_ptr<AttachStrategy> make_fentry_strategy(const HookInfo &info)
{
    return make_strategy<fentry_bpf, args_fentry_bpf>(info, set_btf_attach_target, attach_btf_trace);
}

}  // namespace probectl
