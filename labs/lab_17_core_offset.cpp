// Lab 17: CO-RE against a hard-coded offset. An exec's file name, bprm->filename, read twice by
// one program (probes/lab_core_offset.bpf.c): with BPF_CORE_READ, which libbpf relocates to this
// kernel's offset, and at the offset the build machine's vmlinux.h gives, fixed in the
// instruction. Both are right on a kernel laid out like the build machine's; only CO-RE is right
// where linux_binprm moved. The same hard-coded read built without -g
// (probes/lab_core_offset_nodebug.bpf.c) has no .BTF and no .BTF.ext: nothing to relocate.
#include "labs/labs_list.h"

#include "probes/lab_core_offset.h"  // before the skeletons, whose globals have its types

#include "lab_core_offset.skel.h"
#include "lab_core_offset_nodebug.skel.h"
#include "labs/elf_sections.h"
#include "labs/exec_capture.h"
#include "loader/btf_query.h"
#include "loader/core_btf.h"
#include "loader/escape.h"
#include "loader/libbpf_log.h"
#include "loader/own_files.h"
#include "loader/text.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <regex>

namespace probectl::lab {
namespace {

struct Read {
    std::int64_t ret = 0;
    std::string text;
};

struct Relocated {
    std::size_t insn = 0, call = 0;  // the patched instruction; the helper call after it (0: none)
    std::uint32_t compiled = 0, patched = 0;
};

struct Seen {
    std::string path;                                   // what the child exec'd (a link drawn per run)
    std::uint32_t build_offset = 0, kernel_offset = 0;  // of linux_binprm.filename
    std::string at_build_offset;                        // this kernel's member there
    Read core, fixed, nodebug_fixed;
    Relocated relocation;  // of the CO-RE read
    std::vector<ElfSection> with_g, without_g;
    std::uint32_t nodebug_btf_id = 0, nodebug_func_info = 0;
    bool header_marks_access = false;  // vmlinux.h's pragma
    std::string no_raw_tp;
};

Read read_of(const lab_name_read &read)
{
    const auto length = static_cast<std::size_t>(std::clamp<std::int64_t>(read.ret - 1, 0, LAB_NAME - 1));
    return {read.ret, std::string(read.text, length)};
}

std::string shown(const Read &read)
{
    if (read.ret < 0)
        return "the read failed: " + errno_text(static_cast<int>(-read.ret));
    return "\"" + escape_for_terminal(read.text) + "\"";
}

// The instruction libbpf patched for the CO-RE read, from its log ("relo #0: patched insn #9
// (ALU/ALU64) imm 96 -> 112"), as the loaded program has it: holding this kernel's offset, and
// followed by a call of bpf_probe_read_kernel. The hard-coded read's offset is never patched.
Relocated relocated_read(const bpf_program *program, const std::string &log)
{
    Relocated out;
    static const std::regex patched_line(R"(relo #\d+: patched insn #(\d+) \([^)]*\) imm (\d+) -> (\d+))");
    std::smatch m;
    if (!std::regex_search(log, m, patched_line))
        return out;
    out.insn = std::stoul(m[1]);
    out.compiled = static_cast<std::uint32_t>(std::stoul(m[2]));
    out.patched = static_cast<std::uint32_t>(std::stoul(m[3]));
    const bpf_insn *insns = bpf_program__insns(program);
    const std::size_t count = bpf_program__insn_cnt(program);
    if (out.insn >= count || insns[out.insn].imm != static_cast<std::int32_t>(out.patched))
        return out;
    // The offset reaches R3, the helper's source address: added to it directly (r3 += off), or
    // loaded into a register then added (r1 = off; r3 += r1); then the first call takes it.
    const bpf_insn &patched = insns[out.insn];
    bool in_r3 = patched.code == (BPF_ALU64 | BPF_ADD | BPF_K) && patched.dst_reg == BPF_REG_3;
    for (std::size_t j = out.insn + 1; j < count && j <= out.insn + 8; j++) {
        const bpf_insn &insn = insns[j];
        if (patched.code == (BPF_ALU64 | BPF_MOV | BPF_K) && insn.code == (BPF_ALU64 | BPF_ADD | BPF_X) &&
            insn.src_reg == patched.dst_reg && insn.dst_reg == BPF_REG_3)
            in_r3 = true;
        if (insn.code == (BPF_JMP | BPF_CALL)) {
            if (in_r3 && insn.imm == BPF_FUNC_probe_read_kernel)
                out.call = j;
            break;
        }
    }
    return out;
}

// A link to /bin/true in a folder whose name is drawn for this run, so no constant can match it.
struct DrawnLink {
    std::filesystem::path folder, path;
    DrawnLink()
    {
        std::error_code failed;
        std::filesystem::path temp = std::filesystem::temp_directory_path(failed);
        std::string name = ((failed ? std::filesystem::path("/tmp") : temp) / "probectl-lab17-XXXXXX").string();
        if (mkdtemp(name.data()))
            folder = name;
        std::mt19937_64 draw(std::random_device{}());
        // FOLDER/run-<drawn>/true: a multi-call true picks what to do by its own name
        path = folder / fmt::format("run-{:08x}", static_cast<std::uint32_t>(draw())) / "true";
        if (!folder.empty() && std::filesystem::create_directory(path.parent_path(), failed))
            std::filesystem::create_symlink("/bin/true", path, failed);
    }
    DrawnLink(const DrawnLink &) = delete;
    DrawnLink &operator=(const DrawnLink &) = delete;
    ~DrawnLink()
    {
        std::error_code ignored;
        if (!folder.empty())
            std::filesystem::remove_all(folder, ignored);
    }
};

// The object built without -g has no BTF, so its .bss is not a typed (or mmapped) skeleton field:
// the lab reads and writes the map's one value, laid out as lab_nodebug_state.
std::optional<lab_nodebug_state> nodebug_state(const bpf_map *bss)
{
    std::vector<char> value(bpf_map__value_size(bss));
    const std::uint32_t key = 0;
    lab_nodebug_state state{};
    if (value.size() < sizeof(state) ||
        bpf_map__lookup_elem(bss, &key, sizeof(key), value.data(), value.size(), 0) != 0)
        return std::nullopt;
    std::memcpy(&state, value.data(), sizeof(state));
    return state;
}

bool set_nodebug_target(const bpf_map *bss, pid_t target)
{
    std::vector<char> value(bpf_map__value_size(bss));
    lab_nodebug_state state{};
    state.target_tgid = static_cast<std::uint32_t>(target);
    if (value.size() < sizeof(state))
        return false;
    std::memcpy(value.data(), &state, sizeof(state));
    const std::uint32_t key = 0;
    return bpf_map__update_elem(bss, &key, sizeof(key), value.data(), value.size(), BPF_ANY) == 0;
}

// Forks a child that execs `path` once told its pid has been set in both objects.
Expected<void> exec_watched(const std::string &path, lab_core_offset_bpf *with_g, const bpf_map *nodebug)
{
    int go[2];
    if (pipe(go) != 0)
        return fail(ErrorKind::workload, "pipe failed: " + errno_text(errno));
    const pid_t child = fork();
    if (child < 0) {
        const int err = errno;
        close(go[0]);
        close(go[1]);
        return fail(ErrorKind::workload, "fork failed: " + errno_text(err));
    }
    if (child == 0) {
        char byte = 0;
        close(go[1]);
        if (read(go[0], &byte, 1) == 1) {
            char *argv[] = {const_cast<char *>(path.c_str()), nullptr};
            char *envp[] = {nullptr};
            execve(path.c_str(), argv, envp);
        }
        _exit(127);
    }
    close(go[0]);
    with_g->bss->target_tgid = static_cast<std::uint32_t>(child);
    const char byte = 1;
    const bool told = set_nodebug_target(nodebug, child) && write(go[1], &byte, 1) == 1;
    close(go[1]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!told || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorKind::workload,
                    fmt::format("the lab's child did not exec {} (wait status {:#x})", path, status));
    return {};
}

Expected<void> load_both(lab_core_offset_bpf *with_g, lab_core_offset_nodebug_bpf *without_g, Seen &seen)
{
    {
        const LibbpfLogCapture log;
        if (int err = lab_core_offset_bpf::load(with_g); err != 0)
            return fail(ErrorKind::kernel, "loading probes/lab_core_offset.bpf.c failed: " + errno_text(-err));
        seen.relocation = relocated_read(with_g->progs.lab_core_read, log.text());
    }
    if (int err = lab_core_offset_nodebug_bpf::load(without_g); err != 0)
        return fail(ErrorKind::kernel, "loading probes/lab_core_offset_nodebug.bpf.c failed: " + errno_text(-err));
    bpf_prog_info info{};
    std::uint32_t length = sizeof(info);
    if (bpf_prog_get_info_by_fd(bpf_program__fd(without_g->progs.lab_fixed_read), &info, &length) == 0) {
        seen.nodebug_btf_id = info.btf_id;
        seen.nodebug_func_info = info.nr_func_info;
    }
    return {};
}

Expected<Seen> experiment()
{
    Seen seen;
    std::size_t size = 0;
    const void *bytes = lab_core_offset_bpf::elf_bytes(&size);
    seen.with_g = elf_sections(bytes, size);
    bytes = lab_core_offset_nodebug_bpf::elf_bytes(&size);
    seen.without_g = elf_sections(bytes, size);
    seen.header_marks_access = read_text_file((vmlinux_header_dir() / "vmlinux.h").string())
                                   .find("#pragma clang attribute push (__attribute__((preserve_access_index)), "
                                         "apply_to = record)") != std::string::npos;
    seen.no_raw_tp = hook_problem("raw_tp");
    if (!seen.no_raw_tp.empty())
        return seen;
    auto kernel = BtfFile::kernel();
    if (!kernel)
        return std::unexpected(kernel.error());
    auto binprm = kernel->describe("linux_binprm");
    if (!binprm)
        return std::unexpected(binprm.error());
    for (const auto &member : binprm->members)
        if (member.name == "filename")
            seen.kernel_offset = member.offset_bits / 8;

    lab_core_offset_bpf *with_g = lab_core_offset_bpf::open(object_open_options());
    lab_core_offset_nodebug_bpf *without_g = lab_core_offset_nodebug_bpf::open(object_open_options());
    const auto cleanup = [&] {
        lab_core_offset_bpf::destroy(with_g);
        lab_core_offset_nodebug_bpf::destroy(without_g);
    };
    if (!with_g || !without_g) {
        cleanup();
        return fail(ErrorKind::kernel, "opening the lab's BPF objects failed: " + errno_text(errno));
    }
    seen.build_offset = with_g->rodata->build_offset;
    for (const auto &member : binprm->members)
        if (member.offset_bits / 8 <= seen.build_offset &&
            seen.build_offset < member.offset_bits / 8 + std::max<std::uint32_t>(member.size_bytes, 1))
            seen.at_build_offset = member.name;
    if (auto loaded = load_both(with_g, without_g, seen); !loaded) {
        cleanup();
        return std::unexpected(loaded.error());
    }
    if (lab_core_offset_bpf::attach(with_g) != 0 || lab_core_offset_nodebug_bpf::attach(without_g) != 0) {
        const int err = errno;
        cleanup();
        return fail(ErrorKind::kernel, "attaching the lab's raw_tp programs failed: " + errno_text(err));
    }
    const DrawnLink link;
    seen.path = link.path.string();
    auto ran = exec_watched(seen.path, with_g, without_g->maps.bss);
    lab_core_offset_bpf::detach(with_g);
    lab_core_offset_nodebug_bpf::detach(without_g);
    seen.core = read_of(with_g->bss->core_read);
    seen.fixed = read_of(with_g->bss->fixed_read);
    if (auto state = nodebug_state(without_g->maps.bss))
        seen.nodebug_fixed = read_of(state->fixed_read);
    cleanup();
    if (!ran)
        return std::unexpected(ran.error());
    return seen;
}

std::string section_names(const std::vector<ElfSection> &sections)
{
    std::string out;
    for (const auto &section : sections)
        if (section.name.starts_with(".BTF") || section.name == ".maps" || section.name == ".bss")
            out += (out.empty() ? "" : ", ") + section.name;
    return out.empty() ? "none of .BTF, .BTF.ext, .maps, .bss" : out;
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::string out;
    if (!seen->no_raw_tp.empty())
        out += seen->no_raw_tp + "\n";
    else
        out += fmt::format("An exec of {}, its bprm->filename read two ways:\n"
                           "    BPF_CORE_READ(bprm, filename), relocated: {}\n"
                           "    at offset {} (the build machine's vmlinux.h): {}\n"
                           "    the same, built without -g:                 {}\n"
                           "linux_binprm.filename is at {} on this kernel, {} on the build machine's.\n"
                           "libbpf patched instruction #{} of the CO-RE read: {} -> {}; #{} calls helper {}\n",
                           seen->path, shown(seen->core), seen->build_offset, shown(seen->fixed),
                           shown(seen->nodebug_fixed), seen->kernel_offset, seen->build_offset,
                           seen->relocation.insn, seen->relocation.compiled, seen->relocation.patched,
                           seen->relocation.call, static_cast<int>(BPF_FUNC_probe_read_kernel));
    out += fmt::format("\nSections about types: with -g: {}\n                       without -g: {}\n",
                       section_names(seen->with_g), section_names(seen->without_g));
    out += fmt::format("vmlinux.h applies preserve_access_index to every struct: {}\n",
                       seen->header_marks_access ? "yes" : "no");
    out += "\nLook at: bpftool btf dump file build/bpf/lab_core_offset.bpf.o | grep -A3 linux_binprm;\n"
           "llvm-objdump -d on both objects: the same read, one offset fixed, one to be patched.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::vector<Observation> out;
    const std::vector<std::string> kernel_claims = {
        "BPF_CORE_READ(bprm, filename) reads the file name the exec ran, on this kernel",
        "the offset fixed from the build machine's vmlinux.h reads the file name where this kernel's "
        "linux_binprm has filename there too, and whatever member is there where it has not",
        "libbpf wrote this kernel's offset into the CO-RE read's instruction, whose address goes to "
        "bpf_probe_read_kernel",
        "the hard-coded read built without -g loads, with no BTF and no func_info in the kernel, and reads what "
        "the -g object's hard-coded read does",
    };
    if (!seen->no_raw_tp.empty()) {
        out = none_checkable(kernel_claims, seen->no_raw_tp);
    } else {
        const bool same_layout = seen->kernel_offset == seen->build_offset;
        const std::string offsets = fmt::format("this kernel's offset {}, the build machine's {}",
                                                seen->kernel_offset, seen->build_offset);
        out.push_back(observe(kernel_claims[0], seen->core.ret > 0 && seen->core.text == seen->path,
                              fmt::format("exec'd {}; read {}", seen->path, shown(seen->core))));
        // Where the layout moved, offset N may hold interp, which is the file name again for a direct exec.
        const bool read_path = seen->fixed.ret > 0 && seen->fixed.text == seen->path;
        out.push_back(observe(
            kernel_claims[1], same_layout ? read_path : (!read_path || seen->at_build_offset == "interp"),
            fmt::format("{}; at {} this kernel has {}; read {}", offsets, seen->build_offset,
                        seen->at_build_offset.empty() ? "no member" : "linux_binprm." + seen->at_build_offset,
                        shown(seen->fixed))));
        const Relocated &r = seen->relocation;
        out.push_back(observe(kernel_claims[2], r.patched == seen->kernel_offset && r.call != 0,
                              fmt::format("{}; libbpf patched insn #{}: {} -> {}; {}", offsets, r.insn, r.compiled,
                                          r.patched,
                                          r.call != 0 ? fmt::format("insn #{} calls bpf_probe_read_kernel", r.call)
                                                      : "no call of bpf_probe_read_kernel follows it")));
        out.push_back(observe(kernel_claims[3],
                              seen->nodebug_btf_id == 0 && seen->nodebug_func_info == 0 &&
                                  seen->nodebug_fixed.ret == seen->fixed.ret &&
                                  seen->nodebug_fixed.text == seen->fixed.text,
                              fmt::format("btf_id {}, {} func_info; read {}", seen->nodebug_btf_id,
                                          seen->nodebug_func_info, shown(seen->nodebug_fixed))));
    }
    out.push_back(observe(
        "built with -g the object has .BTF and .BTF.ext (where CO-RE relocations live); "
        "without -g it has neither",
        has_section(seen->with_g, ".BTF") && has_section(seen->with_g, ".BTF.ext") &&
            !has_section(seen->without_g, ".BTF") && !has_section(seen->without_g, ".BTF.ext"),
        fmt::format("with -g: {}; without: {}", section_names(seen->with_g), section_names(seen->without_g))));
    out.push_back(observe("vmlinux.h applies preserve_access_index to every struct (its pragma), so that clang "
                          "records member accesses through them for relocation",
                          seen->header_marks_access,
                          (vmlinux_header_dir() / "vmlinux.h").string() +
                              (seen->header_marks_access ? " has the pragma" : " lacks the pragma")));
    return out;
}

}  // namespace

Lab lab_17_core_offset()
{
    return {17,  "core-offset", "CO-RE against a hard-coded offset, and an object built without -g",
            run, check,         {"raw_tp"}};
}

}  // namespace probectl::lab
