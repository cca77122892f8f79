// Lab 5: CO-RE. probectl's objects are compiled once, against the vmlinux.h of the build machine;
// when one is loaded, libbpf compares the object's BTF with the running kernel's and patches each
// field access to the offset this kernel uses. The lab loads the tracepoint object with libbpf's
// debug log captured and finds the relocation of linux_binprm.filename in it.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "loader/btf_query.h"
#include "loader/libbpf_log.h"
#include "loader/text.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <regex>

namespace probectl::lab {
namespace {

// libbpf's debug log while the tracepoint hook's object is opened, loaded and attached (to no process).
struct Loaded {
    std::string log;
    std::string unsupported;
};

Expected<Loaded> load_with_log()
{
    Loaded out;
    const AttachStrategy *strategy = Registry::instance().find("tracepoint");
    if (const Support &support = hook_support(*strategy); !support.supported) {
        out.unsupported = "tracepoint does not work on this kernel: " + support.reason;
        return out;
    }
    auto target = strategy->resolve(*parse_target("execve"), ResolveOptions{});
    if (!target)
        return std::unexpected(target.error());
    ProbeFilter silent;
    silent.tgid = ProbeFilter::kNoProcess;
    const LibbpfLogCapture log;
    auto probe = attach_or_explain(*strategy, *target, silent);
    out.log = log.text();
    if (!probe)
        return std::unexpected(probe.error());
    return out;
}

struct Relocation {
    bool found = false;
    long compiled = -1;  // the offset in the object (its vmlinux.h)
    long patched = -1;   // the offset libbpf wrote into the instruction for this kernel
    std::string lines;
};

// "relo #27: <byte_off> [334] struct linux_binprm.filename (0:19 @ offset 96)" (the object's spec),
// "relo #27: matching candidate #0 <byte_off> [1598] struct linux_binprm.filename (0:19 @ offset 96)",
// "relo #27: patched insn #1882 (ALU/ALU64) imm 96 -> 96".
Relocation find_relocation(const std::string &log)
{
    Relocation r;
    const std::regex spec(
        R"(relo #(\d+): <byte_off> \[\d+\] struct linux_binprm\.filename \([0-9:]+ @ offset (\d+)\))");
    std::smatch m;
    if (!std::regex_search(log, m, spec))
        return r;
    const std::string number = m[1];
    r.compiled = std::stol(m[2]);
    const std::regex patched("relo #" + number + R"(: patched insn #\d+ \([^)]*\) (?:imm|off) (\d+) -> (\d+))");
    if (std::regex_search(log, m, patched)) {
        r.patched = std::stol(m[2]);
        r.found = true;
    }
    for (const auto &line : split(log, '\n'))
        if (line.find("prog '") != std::string::npos && line.find("relo #" + number + ":") != std::string::npos)
            r.lines += "    " + line + "\n";
    return r;
}

std::optional<long> kernel_offset()
{
    auto btf = BtfFile::kernel();
    if (!btf)
        return std::nullopt;
    auto binprm = btf->describe("linux_binprm");
    if (!binprm)
        return std::nullopt;
    for (const auto &member : binprm->members)
        if (member.name == "filename")
            return member.offset_bits / 8;
    return std::nullopt;
}

Expected<std::string> run()
{
    auto loaded = load_with_log();
    if (!loaded)
        return std::unexpected(loaded.error());
    if (!loaded->unsupported.empty())
        return fmt::format("This lab loads the tracepoint object: {}\n", loaded->unsupported);
    const Relocation r = find_relocation(loaded->log);
    const auto here = kernel_offset();
    return fmt::format("libbpf's log while loading the tracepoint object, for linux_binprm.filename:\n{}\n"
                       "compiled against the build's vmlinux.h: offset {}; patched for this kernel: {}; this "
                       "kernel's BTF says: {}\n\nLook at: the relocation's spec (object) and candidate (kernel) "
                       "lines. Run the same binary on another kernel:\n  scripts/vm/run.sh --kernel bullseye -- "
                       "build/probectl lab run 5\n",
                       r.lines.empty() ? "    (no relocation found)\n" : r.lines, r.compiled, r.patched,
                       here ? std::to_string(*here) : "unknown");
}

Expected<std::vector<Observation>> check()
{
    auto loaded = load_with_log();
    if (!loaded)
        return std::unexpected(loaded.error());
    const std::vector<std::string> claims{
        "libbpf relocates the object's read of linux_binprm.filename when it loads it",
        "the offset it patches in is this kernel's, as the kernel's BTF gives it"};
    if (!loaded->unsupported.empty())
        return none_checkable(claims, loaded->unsupported);
    std::vector<Observation> out;
    const Relocation r = find_relocation(loaded->log);
    out.push_back(observe(claims[0], r.found,
                          r.found ? fmt::format("compiled offset {}, patched to {}", r.compiled, r.patched)
                                  : "no relocation of linux_binprm.filename in libbpf's log"));
    const auto here = kernel_offset();
    out.push_back(observe(claims[1], r.found && here && *here == r.patched,
                          fmt::format("patched {}; kernel BTF: {}; the build's vmlinux.h: {} ({})", r.patched,
                                      here ? std::to_string(*here) : "unknown", r.compiled,
                                      here && *here == r.compiled ? "same layout" : "another layout")));
    return out;
}

}  // namespace

Lab lab_05_core()
{
    return {5,     "co-re-relocations", "vmlinux.h and CO-RE: one object, this kernel's offsets", run,
            check, {"tracepoint"}};
}

}  // namespace probectl::lab
