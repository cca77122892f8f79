// AttachStrategy: how one hook type resolves a target, loads its BPF object and attaches it.
// Each hook's file (attach/<hook>.cpp) supplies only what differs: its skeleton, what must be
// set before load, and the libbpf attach call.
#pragma once

#include "attach/resolve.h"
#include "attach/target.h"
#include "loader/bpf_probe.h"
#include "loader/error.h"
#include "loader/hook_info.h"

#include <bpf/libbpf.h>

#include <chrono>
#include <memory>
#include <type_traits>
#include <vector>

namespace probectl {

// What a hook must do to its program before load (e.g. name the fentry target); returns a libbpf
// error code. And the attach call itself; NULL with errno set on failure.
using BeforeLoad = int (*)(bpf_program *program, const ResolvedTarget &target);
using AttachCall = bpf_link *(*)(bpf_program *program, const ResolvedTarget &target);

class AttachStrategy {
public:
    AttachStrategy(const HookInfo &info, BeforeLoad before_load, AttachCall attach_call)
        : info_(info), before_load_(before_load), attach_call_(attach_call)
    {
    }
    virtual ~AttachStrategy() = default;
    AttachStrategy(const AttachStrategy &) = delete;
    AttachStrategy &operator=(const AttachStrategy &) = delete;

    [[nodiscard]] const HookInfo &info() const { return info_; }
    // Whether the hook has a generic object: any attach point, its arguments decoded (args_<hook>).
    [[nodiscard]] virtual bool generic_capture() const = 0;

    // Resolves against the live kernel's symbols.
    [[nodiscard]] Expected<ResolvedTarget> resolve(const Target &target, const ResolveOptions &options) const;

    // Opens this hook's object, sets the filter, loads and attaches. The probe detaches and unloads
    // when destroyed. Errors are the kernel's; attach_or_explain() (attach/support.h) words them.
    [[nodiscard]] virtual Expected<std::unique_ptr<BpfProbe>> attach(const ResolvedTarget &target,
                                                                     const ProbeFilter &filter) const = 0;

    // The hook's own two steps, for any program of its type and section, not only its object's:
    // what is set before load (Stage::load on failure), and the attach call (Stage::attach).
    // probectl bench's micro tier attaches its own trivial programs through them.
    [[nodiscard]] Expected<void> prepare(bpf_program *program, const ResolvedTarget &target) const;
    [[nodiscard]] Expected<bpf_link *> attach_program(bpf_program *program, const ResolvedTarget &target) const;

private:
    const HookInfo &info_;
    BeforeLoad before_load_;
    AttachCall attach_call_;
};

// Skeleton: the hook's exec object; ArgsSkeleton: its generic object (args_<hook>), or void for a
// hook that has none yet.
template <class Skeleton, class ArgsSkeleton> class SkeletonStrategy final : public AttachStrategy {
public:
    using AttachStrategy::AttachStrategy;

    [[nodiscard]] bool generic_capture() const override { return !std::is_void_v<ArgsSkeleton>; }

    Expected<std::unique_ptr<BpfProbe>> attach(const ResolvedTarget &target,
                                               const ProbeFilter &filter) const override
    {
        if constexpr (!std::is_void_v<ArgsSkeleton>)
            if (target.generic())
                return attach_object<ArgsSkeleton>(target, filter);
        return attach_object<Skeleton>(target, filter);
    }

private:
    template <class Object>
    Expected<std::unique_ptr<BpfProbe>> attach_object(const ResolvedTarget &target,
                                                      const ProbeFilter &filter) const
    {
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        auto probe = open_probe<Object>(filter, target.layout, target.values ? &*target.values : nullptr);
        if (!probe)
            return probe;
        const auto opened = Clock::now();
        if (auto prepared = prepare((*probe)->program(), target); !prepared)
            return std::unexpected(prepared.error());
        if (auto sized = size_site_values(**probe, target); !sized)
            return std::unexpected(sized.error());
        if (auto loaded = (*probe)->load(); !loaded)
            return std::unexpected(loaded.error());
        if (auto filled = fill_site_values(**probe, target); !filled)
            return std::unexpected(filled.error());
        const auto loaded_at = Clock::now();
        auto link = attach_program((*probe)->program(), target);
        if (!link)
            return std::unexpected(link.error());
        if (auto adopted = (*probe)->adopt_link(*link, target.describe()); !adopted)
            return std::unexpected(adopted.error());
        (*probe)->set_startup({opened - start, loaded_at - opened, Clock::now() - loaded_at});
        return probe;
    }
};

template <class Skeleton, class ArgsSkeleton = void>
std::unique_ptr<AttachStrategy> make_strategy(const HookInfo &info, BeforeLoad before_load, AttachCall attach_call)
{
    return std::make_unique<SkeletonStrategy<Skeleton, ArgsSkeleton>>(info, before_load, attach_call);
}

// kprobe.multi, uprobe.multi: each site's attach cookie, (argument layout << 16 | site), sites
// numbered from 1 in the order of target.sites.
std::vector<__u64> site_cookies(const ResolvedTarget &target);

// kprobe.multi's generic object: its site_values map sized before load (one entry a site, and 0),
// and filled after it with each function's argument list. Nothing for an object without the map.
Expected<void> size_site_values(const BpfProbe &probe, const ResolvedTarget &target);
Expected<void> fill_site_values(const BpfProbe &probe, const ResolvedTarget &target);

// fentry, fexit and tp_btf: the BTF name of the attach point is set before load, and the attach
// itself needs nothing more (a BPF trampoline, or the raw tracepoint of the btf_trace_ type).
int set_btf_attach_target(bpf_program *program, const ResolvedTarget &target);
bpf_link *attach_btf_trace(bpf_program *program, const ResolvedTarget &target);

}  // namespace probectl
