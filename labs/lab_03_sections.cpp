// Lab 3: SEC() names. A BPF object's section name is all libbpf has to decide what a program is:
// its program type, its expected attach type, and which attach function bpf_program__attach()
// calls. The lab asks libbpf itself, for the section of every probectl hook.
#include "labs/labs_list.h"

#include "attach/registry.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace probectl::lab {
namespace {

struct Parsed {
    bool known = false;
    std::string prog_type;    // "BPF_PROG_TYPE_KPROBE"
    std::string attach_type;  // "trace_fentry", or "" when libbpf expects none
};

Parsed parse(std::string_view section)
{
    bpf_prog_type type{};
    bpf_attach_type attach{};
    const std::string name(section);
    if (libbpf_prog_type_by_name(name.c_str(), &type, &attach) != 0)
        return {};
    std::string prog = libbpf_bpf_prog_type_str(type) ? libbpf_bpf_prog_type_str(type) : "?";
    std::ranges::transform(prog, prog.begin(), [](unsigned char c) { return std::toupper(c); });
    const char *attach_name = libbpf_bpf_attach_type_str(attach);
    // The kernel's attach type 0 is cgroup_inet_ingress: for these sections it means "none expected".
    const bool tracing = type == BPF_PROG_TYPE_TRACING;
    return {true, "BPF_PROG_TYPE_" + prog, tracing && attach_name ? attach_name : ""};
}

Expected<std::string> run()
{
    std::string out =
        fmt::format("{:<10} {:<12} {:<30} {}\n", "hook", "SEC()", "program type (libbpf)", "expected attach type");
    for (const auto &strategy : Registry::instance().all()) {
        const HookInfo &info = strategy->info();
        const Parsed p = parse(info.section);
        out += fmt::format("{:<10} {:<12} {:<30} {}\n", info.name, fmt::format("\"{}\"", info.section),
                           p.known ? p.prog_type : "(unknown to libbpf)",
                           p.attach_type.empty() ? "-" : p.attach_type);
    }
    auto sharing = [](ProgramType type) {
        return std::ranges::count_if(Registry::instance().all(), [type](const auto &strategy) {
            return strategy->info().program_type == type;
        });
    };
    out += fmt::format(
        "\nLook at: {} hook types share BPF_PROG_TYPE_KPROBE and {} share BPF_PROG_TYPE_TRACING; the\n",
        sharing(ProgramType::kprobe), sharing(ProgramType::tracing));
    out += "section name (and, for tracing, the expected attach type) is what tells them apart, and what\n"
           "libbpf's bpf_program__attach() uses to pick attach_kprobe, attach_uprobe, attach_trace, ...\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    std::vector<Observation> out;
    for (const auto &strategy : Registry::instance().all()) {
        const HookInfo &info = strategy->info();
        const Parsed p = parse(info.section);
        out.push_back(observe(
            fmt::format("libbpf reads SEC(\"{}\") as {}", info.section, program_type_name(info.program_type)),
            p.known && p.prog_type == program_type_name(info.program_type),
            p.known ? fmt::format("libbpf: {}", p.prog_type) : "libbpf does not know the section"));
    }
    std::vector<std::string> attach;
    for (const char *section : {"fentry", "fexit", "tp_btf"})
        attach.push_back(parse(section).attach_type);
    out.push_back(observe("fentry, fexit and tp_btf are one program type told apart by the expected attach type: "
                          "trace_fentry, trace_fexit, trace_raw_tp",
                          attach == std::vector<std::string>{"trace_fentry", "trace_fexit", "trace_raw_tp"},
                          fmt::format("expected attach types: {}", fmt::join(attach, ", "))));
    return out;
}

}  // namespace

Lab lab_03_sections()
{
    return {3, "sec-names", "SEC() names: program types, attach types, attach functions", run, check, {}};
}

}  // namespace probectl::lab
