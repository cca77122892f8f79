// One hook's BPF object, loaded and attached: a bpftool skeleton plus its link, owned together.
// Destroying a BpfProbe detaches first, then unloads, so nothing of it stays in the kernel.
#pragma once

#include "loader/core_btf.h"
#include "loader/error.h"
#include "loader/value_spec.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/event.h"

namespace probectl {

// Which execs a probe reports; applied in the kernel, set in read-only data before load.
struct ProbeFilter {
    std::uint32_t tgid = 0;  // 0: any
    // 0: any; else this process and its descendants (up to 8 generations): a workload's tree
    std::uint32_t ancestor = 0;
    std::optional<std::uint32_t> uid;
    std::string comm;                                         // empty: any; at most 15 bytes
    std::uint64_t cgroup = 0;                                 // 0: any; else a cgroup v2 id (its inode)
    static constexpr std::uint32_t kNoProcess = 0xffffffffu;  // matches nothing: for trial attaches
};

// Where the arguments are at the chosen attach point (enum pctl_arg_layout), for fexit how many
// parameters the function has, and for exit hooks how wide its return value is.
struct ArgumentLayout {
    std::uint32_t layout = 0;
    std::uint32_t func_nargs = 0;
    std::uint32_t ret_size = 8;  // bytes of the return type; 4: sign-extend an int return
    // A syscall through its wrapper or sys_enter: the context's first argument is the user's
    // registers, from which a generic object reads the syscall's arguments (probes/args.bpf.h)
    bool syscall_regs = false;
    std::int32_t syscall_nr = -1;  // sys_enter: only this syscall; -1: any
};

struct ProbeCounters {
    std::uint64_t emitted = 0;
    std::uint64_t dropped = 0;  // ring buffer was full
};

// What the kernel itself counts for a loaded program (bpf_prog_info).
struct ProgramStats {
    std::uint64_t run_count = 0;    // runs, counted only while run-time statistics are enabled
    std::uint64_t run_time_ns = 0;  // time spent in the program, likewise
    // runs skipped because the program was already running on that CPU (5.12+); nullopt before
    std::optional<std::uint64_t> recursion_misses;
};

// How long bringing the probe up took (probectl bench's start-up tier).
struct StartupTimes {
    std::chrono::nanoseconds open{};    // the skeleton opened: ELF parsed, maps and programs set up
    std::chrono::nanoseconds load{};    // CO-RE relocated (kernel BTF parsed), maps created, verified
    std::chrono::nanoseconds attach{};  // linked to its attach point
};

// The kernel counts run_count and run_time_ns only while someone holds this (BPF_ENABLE_STATS, 5.8+).
class RunTimeStats {
public:
    RunTimeStats();
    ~RunTimeStats();
    RunTimeStats(const RunTimeStats &) = delete;
    RunTimeStats &operator=(const RunTimeStats &) = delete;
    [[nodiscard]] bool enabled() const { return fd_ >= 0; }
    [[nodiscard]] int error() const { return err_; }

private:
    int fd_ = -1;
    int err_ = 0;
};

class BpfProbe {
public:
    using Destroy = void (*)(void *skeleton);

    BpfProbe(void *skeleton, Destroy destroy, bpf_object *object);
    ~BpfProbe();
    BpfProbe(const BpfProbe &) = delete;
    BpfProbe &operator=(const BpfProbe &) = delete;

    [[nodiscard]] bpf_program *program() const { return program_; }
    [[nodiscard]] bpf_object *object() const { return object_; }
    [[nodiscard]] bpf_map *events_map() const { return events_; }
    [[nodiscard]] std::string program_name() const;
    // The kernel's ids, to cross-check with bpftool prog show / link show: nullopt before load, and
    // for the link when it is no kernel object (a kprobe or uprobe through a perf event, before 5.15)
    [[nodiscard]] std::optional<std::uint32_t> program_id() const;
    [[nodiscard]] std::optional<std::uint32_t> link_id() const;

    // Loads into the kernel (verifier); errors carry the errno.
    Expected<void> load();
    // Takes ownership of an attach result from bpf_program__attach_*(); NULL means failure (errno).
    Expected<void> adopt_link(bpf_link *link, const std::string &what);
    [[nodiscard]] bool attached() const { return link_ != nullptr; }
    // Destroys the link: the program runs no more, but its maps (ring buffer, counters) stay readable.
    void detach();

    [[nodiscard]] Expected<ProbeCounters> counters() const;
    void set_startup(const StartupTimes &times) { startup_ = times; }
    [[nodiscard]] const StartupTimes &startup() const { return startup_; }
    [[nodiscard]] Expected<ProgramStats> program_stats() const;

private:
    void *skeleton_;
    Destroy destroy_;
    bpf_object *object_;
    bpf_program *program_ = nullptr;
    bpf_map *events_ = nullptr;
    bpf_map *counters_ = nullptr;
    bpf_link *link_ = nullptr;
    StartupTimes startup_;
};

// The read-only description of each argument a generic object reads (probes/args.bpf.h): the first
// PCTL_VALUES of the list, counted.
pctl_site_values value_specs(const ValueList &values);

// Opens a skeleton (every probectl skeleton has the same read-only data) and sets filter and layout;
// and for a generic object (args_<hook>), what it reads of each argument.
template <class Skeleton>
Expected<std::unique_ptr<BpfProbe>> open_probe(const ProbeFilter &filter, const ArgumentLayout &layout,
                                               const ValueList *values = nullptr)
{
    std::size_t size = 0;
    const void *elf = Skeleton::elf_bytes(&size);
    Skeleton *skeleton = Skeleton::open(object_open_options(elf, size));
    if (!skeleton) {
        int err = errno;
        return fail_at(Stage::open, fmt::format("opening the BPF object failed: {}", errno_text(err)), err);
    }
    auto probe = std::make_unique<BpfProbe>(
        skeleton, [](void *s) { Skeleton::destroy(static_cast<Skeleton *>(s)); }, skeleton->obj);
    auto *rodata = skeleton->rodata;
    rodata->targ_tgid = filter.tgid;
    rodata->targ_ancestor = filter.ancestor;
    rodata->targ_uid = filter.uid.value_or(0xffffffffu);
    std::memset(rodata->targ_comm, 0, sizeof(rodata->targ_comm));
    std::memcpy(rodata->targ_comm, filter.comm.data(),
                std::min(filter.comm.size(), sizeof(rodata->targ_comm) - 1));
    if constexpr (requires { rodata->targ_cgroup; })
        rodata->targ_cgroup = filter.cgroup;
    rodata->arg_layout = layout.layout;
    rodata->func_nargs = layout.func_nargs;
    rodata->ret_size = layout.ret_size;
    if constexpr (requires { rodata->syscall_regs; }) {
        rodata->syscall_regs = layout.syscall_regs ? 1 : 0;
        rodata->syscall_nr = layout.syscall_nr;
    }
    if constexpr (requires { rodata->value_specs; }) {
        const pctl_site_values specs = values ? value_specs(*values) : pctl_site_values{};  // an exec target: none
        static_assert(sizeof(rodata->value_specs) == sizeof(specs.specs));
        rodata->value_count = specs.count;
        std::memcpy(rodata->value_specs, specs.specs, sizeof(specs.specs));
    }
    return probe;
}

}  // namespace probectl
