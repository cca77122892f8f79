// Lab 15: an object's anatomy. What the ELF object clang writes holds (a license, .maps, .BTF and
// .BTF.ext beside the programs' sections), how libbpf tells apart two programs in one section (by
// their function names), what the skeleton bpftool generates from it declares (a field for each
// program and map), and what the license decides: a GPL-only helper loads under GPL and is refused
// under another license (probes/lab_anatomy.bpf.c, probes/lab_anatomy_nongpl.bpf.c).
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "lab_anatomy.skel.h"
#include "lab_anatomy_nongpl.skel.h"
#include "labs/elf_sections.h"
#include "labs/exec_capture.h"
#include "loader/core_btf.h"
#include "loader/libbpf_log.h"
#include "loader/text.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

namespace probectl::lab {
namespace {

struct Program {
    std::string name, section;
};

struct Seen {
    std::vector<ElfSection> sections;  // of the ELF object, in file order
    std::vector<Program> programs;     // as libbpf found them
    std::vector<std::string> maps;     // as libbpf found them: "lab_counts (hash)", "lab_anat.bss (array)"
    std::size_t skeleton_programs = 0, skeleton_maps = 0;  // the skeleton struct's fields
    int gpl_load_error = 0, other_load_error = 0;          // errno of each object's load; 0: loaded
    std::string other_refusal;                             // the verifier's words
    std::string no_tracepoint;                             // why nothing loads here
};

Expected<Seen> experiment()
{
    Seen seen;
    std::size_t size = 0;
    const void *bytes = lab_anatomy_bpf::elf_bytes(&size);
    seen.sections = elf_sections(bytes, size);

    lab_anatomy_bpf *skel = lab_anatomy_bpf::open(object_open_options());
    if (!skel)
        return fail(ErrorKind::kernel, "opening the lab's BPF object failed: " + errno_text(errno));
    seen.skeleton_programs = sizeof(skel->progs) / sizeof(bpf_program *);
    seen.skeleton_maps = sizeof(skel->maps) / sizeof(bpf_map *);
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, skel->obj)
    {
        seen.programs.push_back({bpf_program__name(program), bpf_program__section_name(program)});
    }
    bpf_map *map = nullptr;
    bpf_object__for_each_map(map, skel->obj)
    {
        seen.maps.push_back(
            fmt::format("{} ({})", bpf_map__name(map), libbpf_bpf_map_type_str(bpf_map__type(map))));
    }

    seen.no_tracepoint = hook_problem("tracepoint");
    if (!seen.no_tracepoint.empty()) {
        lab_anatomy_bpf::destroy(skel);
        return seen;
    }
    seen.gpl_load_error = -lab_anatomy_bpf::load(skel);
    lab_anatomy_bpf::destroy(skel);

    lab_anatomy_nongpl_bpf *other = lab_anatomy_nongpl_bpf::open(object_open_options());
    if (!other)
        return fail(ErrorKind::kernel, "opening the lab's BPF object failed: " + errno_text(errno));
    {
        const LibbpfLogCapture log;
        seen.other_load_error = -lab_anatomy_nongpl_bpf::load(other);
        seen.other_refusal = log_line_with(log.text(), "GPL");
    }
    lab_anatomy_nongpl_bpf::destroy(other);
    return seen;
}

std::size_t programs_in(const Seen &seen, std::string_view section)
{
    return static_cast<std::size_t>(
        std::ranges::count_if(seen.programs, [&](const Program &p) { return p.section == section; }));
}

std::string loaded(int error)
{
    return error == 0 ? "loaded" : "refused: " + errno_text(error);
}

constexpr std::string_view kShared = "tp/syscalls/sys_enter_getppid";

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::string out = "probes/lab_anatomy.bpf.c, as clang wrote it (the ELF's sections):\n";
    std::size_t dwarf = 0;  // -g's debugging information, for debuggers, not for libbpf
    for (const auto &section : seen->sections) {
        if (section.name.starts_with(".debug") || section.name.starts_with(".rel.debug"))
            dwarf++;
        else if (!section.name.empty())
            out += fmt::format("    {:<34} {:>6} bytes\n", section.name, section.size);
    }
    out +=
        fmt::format("    and {} sections of DWARF (.debug_*, .rel.debug_*), which libbpf does not read\n", dwarf);
    out += "\nWhat libbpf found in it:\n";
    for (const auto &program : seen->programs)
        out += fmt::format("    program {:<16} in SEC(\"{}\")\n", program.name, program.section);
    for (const auto &map : seen->maps)
        out += fmt::format("    map {}\n", map);
    out += fmt::format("\nIts skeleton (lab_anatomy.skel.h) has {} program fields and {} map fields.\n",
                       seen->skeleton_programs, seen->skeleton_maps);
    if (!seen->no_tracepoint.empty()) {
        out += seen->no_tracepoint + "\n";
    } else {
        out += fmt::format("\nbpf_probe_read_kernel (GPL-only) under license \"GPL\": {}\n",
                           loaded(seen->gpl_load_error));
        out += fmt::format("the same call under license \"Proprietary\": {}{}\n", loaded(seen->other_load_error),
                           seen->other_refusal.empty() ? "" : "\n    the verifier: " + seen->other_refusal);
    }
    out += "\nLook at: llvm-objdump -h on a .bpf.o of your own; the .rel sections beside each program's\n"
           "(its map references, relocated by libbpf); which sections carry no code.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::vector<std::string> names;
    for (const auto &section : seen->sections)
        if (!section.name.empty())
            names.push_back(section.name);
    const std::string sections = fmt::format("sections: {}", fmt::join(names, ", "));
    std::vector<Observation> out;
    out.push_back(observe("the object carries its license, its maps, its BTF and its line and function "
                          "information in sections of their own: license, .maps, .BTF, .BTF.ext",
                          has_section(seen->sections, "license") && has_section(seen->sections, ".maps") &&
                              has_section(seen->sections, ".BTF") && has_section(seen->sections, ".BTF.ext"),
                          sections));
    std::vector<std::string> programs;
    for (const auto &program : seen->programs)
        programs.push_back(fmt::format("{} in {}", program.name, program.section));
    out.push_back(observe(fmt::format("two programs share the section {}, told apart by their names", kShared),
                          programs_in(*seen, kShared) == 2 && has_section(seen->sections, kShared),
                          fmt::format("{}", fmt::join(programs, "; "))));
    out.push_back(observe("the skeleton has a field for each program and each map libbpf found (the global "
                          "variable's .bss among the maps)",
                          seen->skeleton_programs == seen->programs.size() &&
                              seen->skeleton_maps == seen->maps.size() && seen->maps.size() == 2,
                          fmt::format("skeleton: {} programs, {} maps; libbpf: {} programs, maps {}",
                                      seen->skeleton_programs, seen->skeleton_maps, seen->programs.size(),
                                      fmt::join(seen->maps, ", "))));
    const std::string license_claim = "a GPL-only helper (bpf_probe_read_kernel) loads under license GPL, and the "
                                      "verifier refuses the same call under another license";
    if (!seen->no_tracepoint.empty())
        out.push_back(cannot_check(license_claim, seen->no_tracepoint));
    else
        out.push_back(observe(
            license_claim,
            seen->gpl_load_error == 0 && seen->other_load_error != 0 && !seen->other_refusal.empty(),
            fmt::format("GPL: {}; Proprietary: {}{}", loaded(seen->gpl_load_error), loaded(seen->other_load_error),
                        seen->other_refusal.empty() ? "" : " (" + seen->other_refusal + ")")));
    return out;
}

}  // namespace

Lab lab_15_object_anatomy()
{
    return {15,    "object-anatomy", "An object's anatomy: sections, programs, maps, skeleton, license", run,
            check, {"tracepoint"}};
}

}  // namespace probectl::lab
