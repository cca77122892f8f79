#include "loader/bpf_probe.h"

#include <bpf/bpf.h>

#include <cstddef>
#include <unistd.h>
#include <vector>

#include "probes/event.h"

namespace probectl {

pctl_site_values value_specs(const ValueList &values)
{
    pctl_site_values out{};
    for (const auto &field : values.fields) {
        if (out.count == PCTL_VALUES)
            break;
        pctl_value_spec &spec = out.specs[out.count++];
        switch (field.type) {
        case ValueType::signed_int:
        case ValueType::unsigned_int:
        case ValueType::pointer: spec.kind = PCTL_VALUE_INT; break;
        case ValueType::user_string: spec.kind = PCTL_VALUE_USTR; break;
        case ValueType::kernel_string: spec.kind = PCTL_VALUE_KSTR; break;
        case ValueType::string: spec.kind = PCTL_VALUE_STR; break;
        case ValueType::chars: spec.kind = PCTL_VALUE_CHARS; break;
        case ValueType::data_loc: spec.kind = PCTL_VALUE_DATA_LOC; break;
        case ValueType::rel_loc: spec.kind = PCTL_VALUE_REL_LOC; break;
        }
        spec.size = field.size;
        spec.where = field.where;
    }
    return out;
}

BpfProbe::BpfProbe(void *skeleton, Destroy destroy, bpf_object *object)
    : skeleton_(skeleton), destroy_(destroy), object_(object)
{
    // Every probectl object holds exactly one program and the two maps of probes/common.bpf.h.
    program_ = bpf_object__next_program(object_, nullptr);
    events_ = bpf_object__find_map_by_name(object_, "events");
    counters_ = bpf_object__find_map_by_name(object_, "counters");
}

BpfProbe::~BpfProbe()
{
    if (link_)
        bpf_link__destroy(link_);
    destroy_(skeleton_);
}

std::string BpfProbe::program_name() const
{
    return program_ ? bpf_program__name(program_) : "";
}

std::optional<std::uint32_t> BpfProbe::program_id() const
{
    bpf_prog_info info{};
    std::uint32_t length = sizeof(info);
    if (!program_ || bpf_program__fd(program_) < 0 ||
        bpf_prog_get_info_by_fd(bpf_program__fd(program_), &info, &length) != 0)
        return std::nullopt;
    return info.id;
}

std::optional<std::uint32_t> BpfProbe::link_id() const
{
    bpf_link_info info{};
    std::uint32_t length = sizeof(info);
    if (!link_ || bpf_link__fd(link_) < 0 || bpf_link_get_info_by_fd(bpf_link__fd(link_), &info, &length) != 0)
        return std::nullopt;
    return info.id;
}

Expected<void> BpfProbe::load()
{
    if (!program_ || !events_ || !counters_)
        return fail(ErrorKind::internal, "BPF object lacks its program, events or counters map");
    if (int err = bpf_object__load(object_); err != 0)
        return fail_at(Stage::load,
                       fmt::format("loading BPF program {} failed: {}", program_name(), errno_text(err)), -err,
                       "run with -v to see libbpf's and the verifier's log");
    return {};
}

void BpfProbe::detach()
{
    if (link_)
        bpf_link__destroy(link_);
    link_ = nullptr;
}

Expected<void> BpfProbe::adopt_link(bpf_link *link, const std::string &what)
{
    if (!link) {
        int err = errno;
        return fail_at(Stage::attach, fmt::format("attaching to {} failed: {}", what, errno_text(err)), err,
                       "run with -v to see libbpf's log");
    }
    if (link_)
        bpf_link__destroy(link_);
    link_ = link;
    return {};
}

Expected<ProbeCounters> BpfProbe::counters() const
{
    const int cpus = libbpf_num_possible_cpus();
    if (cpus <= 0)
        return fail(ErrorKind::internal, "cannot count the possible CPUs", "", -cpus);
    ProbeCounters totals;
    std::vector<std::uint64_t> per_cpu(static_cast<size_t>(cpus));
    for (std::uint32_t slot : {PCTL_COUNTER_EMITTED, PCTL_COUNTER_DROPPED}) {
        if (bpf_map_lookup_elem(bpf_map__fd(counters_), &slot, per_cpu.data()) != 0) {
            int err = errno;
            return fail(ErrorKind::kernel, fmt::format("reading counters: {}", errno_text(err)), "", err);
        }
        std::uint64_t sum = 0;
        for (auto v : per_cpu)
            sum += v;
        (slot == PCTL_COUNTER_EMITTED ? totals.emitted : totals.dropped) = sum;
    }
    return totals;
}

Expected<ProgramStats> BpfProbe::program_stats() const
{
    bpf_prog_info info{};
    std::uint32_t length = sizeof(info);
    if (bpf_obj_get_info_by_fd(bpf_program__fd(program_), &info, &length) != 0) {
        int err = errno;
        return fail(ErrorKind::kernel, fmt::format("reading program info: {}", errno_text(err)), "", err);
    }
    ProgramStats stats;
    stats.run_count = info.run_cnt;
    stats.run_time_ns = info.run_time_ns;
    // The kernel reports how much of the structure it knows: older kernels stop before this field.
    if (length >= offsetof(bpf_prog_info, recursion_misses) + sizeof(info.recursion_misses))
        stats.recursion_misses = info.recursion_misses;
    return stats;
}

RunTimeStats::RunTimeStats()
{
    fd_ = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (fd_ < 0)
        err_ = errno;
}

RunTimeStats::~RunTimeStats()
{
    if (fd_ >= 0)
        close(fd_);
}

}  // namespace probectl
