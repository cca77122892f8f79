#include "loader/hook_info.h"

#include <array>
#include <utility>

namespace probectl {
namespace {

constexpr std::array<std::pair<ExecPhase, std::string_view>, 3> kPhases{{
    {ExecPhase::before_exec, "before exec"},
    {ExecPhase::after_exec, "after exec"},
    {ExecPhase::on_return, "on return"},
}};

constexpr std::array<std::pair<TargetKind, std::string_view>, 8> kKinds{{
    {TargetKind::kernel_function, "kernel function"},
    {TargetKind::syscall, "syscall"},
    {TargetKind::tracepoint, "tracepoint"},
    {TargetKind::raw_tracepoint, "raw tracepoint"},
    {TargetKind::user_function, "user function"},
    {TargetKind::lsm_hook, "LSM hook"},
    {TargetKind::kernel_functions, "kernel functions"},
    {TargetKind::user_functions, "user functions"},
}};

constexpr std::array<std::pair<ProgramType, std::string_view>, 5> kProgramTypes{{
    {ProgramType::kprobe, "BPF_PROG_TYPE_KPROBE"},
    {ProgramType::tracepoint, "BPF_PROG_TYPE_TRACEPOINT"},
    {ProgramType::raw_tracepoint, "BPF_PROG_TYPE_RAW_TRACEPOINT"},
    {ProgramType::tracing, "BPF_PROG_TYPE_TRACING"},
    {ProgramType::lsm, "BPF_PROG_TYPE_LSM"},
}};

template <class Enum, size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N> &names, Enum value)
{
    for (const auto &[each, name] : names)
        if (each == value)
            return name;
    return "";
}

template <class Enum, size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N> &names, std::string_view name)
{
    for (const auto &[each, each_name] : names)
        if (each_name == name)
            return each;
    return std::nullopt;
}

}  // namespace

std::string_view phase_name(ExecPhase phase)
{
    return name_of(kPhases, phase);
}

std::string_view target_kind_name(TargetKind kind)
{
    return name_of(kKinds, kind);
}

std::string_view program_type_name(ProgramType type)
{
    return name_of(kProgramTypes, type);
}

std::optional<ExecPhase> phase_from_name(std::string_view name)
{
    return value_of(kPhases, name);
}

std::optional<TargetKind> target_kind_from_name(std::string_view name)
{
    return value_of(kKinds, name);
}

std::optional<ProgramType> program_type_from_name(std::string_view name)
{
    return value_of(kProgramTypes, name);
}

}  // namespace probectl
