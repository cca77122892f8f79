#include "attach/strategy.h"

#include "attach/values.h"
#include "loader/kernel_facts.h"

#include <fmt/format.h>

#include <cerrno>

namespace probectl {

Expected<ResolvedTarget> AttachStrategy::resolve(const Target &target, const ResolveOptions &options) const
{
    // libbpf finds a tracepoint's id in tracefs: mount it (or say how) before anything else.
    if (info_.target_kind == TargetKind::tracepoint)
        if (auto tracefs = ensure_tracefs(); !tracefs)
            return std::unexpected(tracefs.error());
    auto resolved = resolve_target(info_, target, live_kernel_symbols(), options);
    if (!resolved || !generic_capture() || !captures_generically(target, *resolved))
        return resolved;
    auto values = describe_values(info_, *resolved);
    if (!values)
        return std::unexpected(values.error());
    resolved->values = std::move(*values);
    return resolved;
}

Expected<void> AttachStrategy::prepare(bpf_program *program, const ResolvedTarget &target) const
{
    if (!before_load_)
        return {};
    if (int err = before_load_(program, target); err != 0)
        return fail_at(
            Stage::load,
            fmt::format("preparing {} for {} failed: {}", info_.name, target.describe(), errno_text(err)), -err);
    return {};
}

Expected<bpf_link *> AttachStrategy::attach_program(bpf_program *program, const ResolvedTarget &target) const
{
    if (bpf_link *link = attach_call_(program, target))
        return link;
    const int err = errno;
    return fail_at(Stage::attach, fmt::format("attaching to {} failed: {}", target.describe(), errno_text(err)),
                   err, "run with -v to see libbpf's log");
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
