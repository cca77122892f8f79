#include "attach/strategy.h"

#include "attach/values.h"
#include "loader/kernel_facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>

#include "probes/event.h"

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
    if (auto described = describe_into(info_, *resolved); !described)
        return std::unexpected(described.error());
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

std::vector<__u64> site_cookies(const ResolvedTarget &target)
{
    std::vector<__u64> cookies;
    for (const auto &site : target.sites)
        cookies.push_back(static_cast<__u64>(site.layout) << 16 | (cookies.size() + 1));
    return cookies;
}

namespace {

bpf_map *site_values_map(const BpfProbe &probe)
{
    return bpf_object__find_map_by_name(probe.object(), "site_values");
}

}  // namespace

Expected<void> size_site_values(const BpfProbe &probe, const ResolvedTarget &target)
{
    bpf_map *map = site_values_map(probe);
    if (target.site_values.empty() || !map)
        return {};
    if (int err = bpf_map__set_max_entries(map, static_cast<__u32>(target.site_values.size() + 1)); err != 0)
        return fail_at(Stage::load, "sizing the map of each function's arguments failed: " + errno_text(err),
                       -err);
    return {};
}

Expected<void> fill_site_values(const BpfProbe &probe, const ResolvedTarget &target)
{
    bpf_map *map = site_values_map(probe);
    if (target.site_values.empty() || !map)
        return {};
    for (__u32 site = 1; site <= target.site_values.size(); site++) {
        const pctl_site_values entry = value_specs(target.site_values[site - 1]);
        if (int err = bpf_map__update_elem(map, &site, sizeof(site), &entry, sizeof(entry), BPF_ANY); err != 0)
            return fail_at(Stage::load, "filling the map of each function's arguments failed: " + errno_text(err),
                           -err);
    }
    return {};
}

}  // namespace probectl
