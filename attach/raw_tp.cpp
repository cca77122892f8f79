// raw_tp: a raw tracepoint, attached by name; no BTF needed.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_raw_tp.skel.h"
#include "raw_tp.skel.h"

namespace probectl {
namespace {

bpf_link *attach_raw_tp(bpf_program *program, const ResolvedTarget &target)
{
    return bpf_program__attach_raw_tracepoint(program, target.attach_point.c_str());
}

}  // namespace

std::unique_ptr<AttachStrategy> make_raw_tp_strategy(const HookInfo &info)
{
    return make_strategy<raw_tp_bpf, args_raw_tp_bpf>(info, nullptr, attach_raw_tp);
}

}  // namespace probectl
