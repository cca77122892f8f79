// AttachStrategy: how one hook type resolves a target, loads its BPF object and attaches it.
// Each hook's file (attach/<hook>.cpp) supplies only what differs: its skeleton, what must be
// set before load, and the libbpf attach call.
#pragma once

#include "attach/hook_info.h"
#include "attach/resolve.h"
#include "attach/target.h"
#include "loader/bpf_probe.h"
#include "loader/error.h"

#include <bpf/libbpf.h>

#include <chrono>
#include <memory>

namespace probectl {

class AttachStrategy {
public:
    explicit AttachStrategy(const HookInfo &info) : info_(info) {}
    virtual ~AttachStrategy() = default;
    AttachStrategy(const AttachStrategy &) = delete;
    AttachStrategy &operator=(const AttachStrategy &) = delete;

    [[nodiscard]] const HookInfo &info() const { return info_; }

    // Resolves against the live kernel's symbols.
    [[nodiscard]] Expected<ResolvedTarget> resolve(const Target &target, const ResolveOptions &options) const;

    // Opens this hook's object, sets the filter, loads and attaches. The probe detaches and unloads
    // when destroyed. Errors are the kernel's; attach_or_explain() (attach/support.h) words them.
    [[nodiscard]] virtual Expected<std::unique_ptr<BpfProbe>> attach(const ResolvedTarget &target,
                                                                     const ProbeFilter &filter) const = 0;

private:
    const HookInfo &info_;
};

// What a hook must do to its program before load (e.g. name the fentry target); returns a libbpf
// error code. And the attach call itself; NULL with errno set on failure.
using BeforeLoad = int (*)(bpf_program *program, const ResolvedTarget &target);
using AttachCall = bpf_link *(*)(bpf_program *program, const ResolvedTarget &target);

template <class Skeleton> class SkeletonStrategy final : public AttachStrategy {
public:
    SkeletonStrategy(const HookInfo &info, BeforeLoad before_load, AttachCall attach_call)
        : AttachStrategy(info), before_load_(before_load), attach_call_(attach_call)
    {
    }

    Expected<std::unique_ptr<BpfProbe>> attach(const ResolvedTarget &target,
                                               const ProbeFilter &filter) const override
    {
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        auto probe = open_probe<Skeleton>(filter, target.layout);
        if (!probe)
            return probe;
        const auto opened = Clock::now();
        if (before_load_) {
            if (int err = before_load_((*probe)->program(), target); err != 0)
                return fail_at(
                    Stage::load,
                    fmt::format("preparing {} for {} failed: {}", info().name, target.describe(), errno_text(err)),
                    -err);
        }
        if (auto loaded = (*probe)->load(); !loaded)
            return std::unexpected(loaded.error());
        const auto loaded_at = Clock::now();
        if (auto linked = (*probe)->adopt_link(attach_call_((*probe)->program(), target), target.describe());
            !linked)
            return std::unexpected(linked.error());
        (*probe)->set_startup({opened - start, loaded_at - opened, Clock::now() - loaded_at});
        return probe;
    }

private:
    BeforeLoad before_load_;
    AttachCall attach_call_;
};

template <class Skeleton>
std::unique_ptr<AttachStrategy> make_strategy(const HookInfo &info, BeforeLoad before_load, AttachCall attach_call)
{
    return std::make_unique<SkeletonStrategy<Skeleton>>(info, before_load, attach_call);
}

// fentry, fexit and tp_btf: the BTF name of the attach point is set before load, and the attach
// itself needs nothing more (a BPF trampoline, or the raw tracepoint of the btf_trace_ type).
int set_btf_attach_target(bpf_program *program, const ResolvedTarget &target);
bpf_link *attach_btf_trace(bpf_program *program, const ResolvedTarget &target);

// One factory per hook type, each in its own file.
std::unique_ptr<AttachStrategy> make_kprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_kretprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_ksyscall_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_fentry_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_fexit_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_tracepoint_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_tp_btf_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_raw_tp_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_uprobe_strategy(const HookInfo &info);
std::unique_ptr<AttachStrategy> make_uretprobe_strategy(const HookInfo &info);

}  // namespace probectl
