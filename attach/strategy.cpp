#include "attach/strategy.h"

#include "loader/kernel_facts.h"

namespace probectl {

Expected<ResolvedTarget> AttachStrategy::resolve(const Target &target, const ResolveOptions &options) const
{
    // libbpf finds a tracepoint's id in tracefs: mount it (or say how) before anything else.
    if (info_.target_kind == TargetKind::tracepoint)
        if (auto tracefs = ensure_tracefs(); !tracefs)
            return std::unexpected(tracefs.error());
    return resolve_target(info_, target, live_kernel_symbols(), options);
}

int set_btf_attach_target(bpf_program *program, const ResolvedTarget &target)
{
    return bpf_program__set_attach_target(program, 0, target.attach_point.c_str());
}

bpf_link *attach_btf_trace(bpf_program *program, const ResolvedTarget & /*target*/)
{
    return bpf_program__attach_trace(program);
}

}  // namespace probectl
