// tp_btf: a BTF-typed raw tracepoint; the btf_trace_<name> type is named before load.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_tp_btf.skel.h"
#include "tp_btf.skel.h"

namespace probectl {

std::unique_ptr<AttachStrategy> make_tp_btf_strategy(const HookInfo &info)
{
    return make_strategy<tp_btf_bpf, args_tp_btf_bpf>(info, set_btf_attach_target, attach_btf_trace);
}

}  // namespace probectl
