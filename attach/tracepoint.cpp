// tracepoint: a perf-event tracepoint; libbpf reads its id from tracefs events/<category>/<name>/id.
#include "attach/strategy.h"

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_tracepoint.skel.h"
#include "tracepoint.skel.h"

namespace probectl {
namespace {

bpf_link *attach_tracepoint(bpf_program *program, const ResolvedTarget &target)
{
    const auto colon = target.attach_point.find(':');
    const std::string category = target.attach_point.substr(0, colon);
    const std::string name = target.attach_point.substr(colon + 1);
    return bpf_program__attach_tracepoint(program, category.c_str(), name.c_str());
}

}  // namespace

std::unique_ptr<AttachStrategy> make_tracepoint_strategy(const HookInfo &info)
{
    return make_strategy<tracepoint_bpf, args_tracepoint_bpf>(info, nullptr, attach_tracepoint);
}

}  // namespace probectl
