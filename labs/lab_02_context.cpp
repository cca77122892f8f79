// Lab 2: what `ctx` is. The same event handed to four program types arrives as four different
// things: the saved registers (kprobe), an array of u64 arguments (fentry, tp_btf), a raw-argument
// array (raw_tp), or a record laid out by a format file (tracepoint). The lab reads each from the
// kernel's own descriptions.
#include "labs/labs_list.h"

#include "loader/btf_query.h"
#include "loader/kernel_facts.h"
#include "loader/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace probectl::lab {
namespace {

struct Seen {
    std::optional<BtfDefinition> pt_regs, raw_args;
    std::optional<int> bprm_execve_args;
    std::map<std::string, std::pair<int, int>> record;  // sys_enter_execve field -> offset, size
    std::string no_btf, no_tracefs;
};

// "field:const char * filename;	offset:16;	size:8;	signed:0;" -> filename, 16, 8
std::map<std::string, std::pair<int, int>> parse_format(const std::string &format)
{
    std::map<std::string, std::pair<int, int>> fields;
    for (const auto &line : split(format, '\n')) {
        const auto field = line.find("field:"), semi = line.find(';'), off = line.find("offset:"),
                   size = line.find("size:");
        if (field == std::string::npos || semi == std::string::npos || off == std::string::npos ||
            size == std::string::npos)
            continue;
        const std::string declaration = line.substr(field + 6, semi - field - 6);
        std::string name = declaration.substr(declaration.find_last_of(" *") + 1);
        fields[name] = {std::atoi(line.c_str() + off + 7), std::atoi(line.c_str() + size + 5)};
    }
    return fields;
}

std::vector<std::tuple<int, int, std::string>> by_offset(const std::map<std::string, std::pair<int, int>> &record)
{
    std::vector<std::tuple<int, int, std::string>> fields;
    for (const auto &[name, where] : record)
        fields.emplace_back(where.first, where.second, name);
    std::ranges::sort(fields);
    return fields;
}

Seen experiment()
{
    Seen seen;
    if (auto btf = BtfFile::kernel()) {
        if (auto d = btf->describe("pt_regs"))
            seen.pt_regs = *d;
        if (auto d = btf->describe("bpf_raw_tracepoint_args"))
            seen.raw_args = *d;
        if (auto d = btf->describe("bprm_execve"); d && d->params >= 0)
            seen.bprm_execve_args = d->params;
    } else {
        seen.no_btf = "this kernel has no BTF (/sys/kernel/btf/vmlinux)";
    }
    if (const auto tracefs = tracefs_mount())
        seen.record = parse_format(read_text_file(*tracefs + "/events/syscalls/sys_enter_execve/format"));
    if (seen.record.empty())
        seen.no_tracefs = "no format file for syscalls:sys_enter_execve (tracefs, or CONFIG_FTRACE_SYSCALLS)";
    return seen;
}

Expected<std::string> run()
{
    const Seen seen = experiment();
    std::string out;
    if (seen.pt_regs)
        out += fmt::format("kprobe, kretprobe, uprobe, uretprobe, ksyscall: struct pt_regs *, {} bytes of saved "
                           "registers ({} of them)\n",
                           seen.pt_regs->size, seen.pt_regs->members.size());
    if (seen.bprm_execve_args)
        out += fmt::format("fentry/fexit on bprm_execve: u64 ctx[{}] (one per argument; fexit: ctx[{}] is the "
                           "return value)\n",
                           *seen.bprm_execve_args, *seen.bprm_execve_args);
    if (seen.raw_args)
        out += fmt::format("raw_tp: struct bpf_raw_tracepoint_args, {} bytes declared: {}\n", seen.raw_args->size,
                           seen.raw_args->members.empty() ? "" : seen.raw_args->members.front().type + " args");
    if (!seen.no_btf.empty())
        out += seen.no_btf + "\n";
    out += "tracepoint syscalls:sys_enter_execve: the record of its format file:\n";
    for (const auto &[offset, size, name] : by_offset(seen.record))
        out += fmt::format("    offset {:>2}, {} bytes: {}\n", offset, size, name);
    if (!seen.no_tracefs.empty())
        out += "    " + seen.no_tracefs + "\n";
    out += "\nLook at: which contexts have a fixed size the verifier can check reads against (pt_regs, the\n"
           "record), and which are bounded by the attach point instead (fentry's and tp_btf's argument count).\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    const Seen seen = experiment();
    std::vector<Observation> out;
    const std::vector<std::string> btf_claims{
        "a kprobe's ctx is struct pt_regs, the saved registers: 21 of 8 bytes on x86-64",
        "a raw_tp's ctx is struct bpf_raw_tracepoint_args: u64 args[] with no length of its own",
        "fentry on bprm_execve gets one u64 per parameter: BTF gives their number"};
    if (!seen.no_btf.empty()) {
        for (const auto &claim : btf_claims)
            out.push_back(cannot_check(claim, seen.no_btf));
    } else {
#if defined(__x86_64__)
        out.push_back(observe(btf_claims[0],
                              seen.pt_regs && seen.pt_regs->size == 168 && seen.pt_regs->members.size() == 21,
                              seen.pt_regs ? fmt::format("struct pt_regs: {} bytes, {} members",
                                                         seen.pt_regs->size, seen.pt_regs->members.size())
                                           : "no struct pt_regs"));
#else
        out.push_back(cannot_check(btf_claims[0], "this machine is not x86-64"));
#endif
        const bool flexible = seen.raw_args && seen.raw_args->size == 0 && seen.raw_args->members.size() == 1 &&
                              seen.raw_args->members.front().name == "args";
        out.push_back(observe(
            btf_claims[1], flexible,
            seen.raw_args
                ? fmt::format("struct bpf_raw_tracepoint_args: {} bytes, member {} {}", seen.raw_args->size,
                              seen.raw_args->members.empty() ? "" : seen.raw_args->members.front().type,
                              seen.raw_args->members.empty() ? "" : seen.raw_args->members.front().name)
                : "no struct bpf_raw_tracepoint_args"));
        out.push_back(observe(btf_claims[2], seen.bprm_execve_args && *seen.bprm_execve_args >= 1,
                              seen.bprm_execve_args
                                  ? fmt::format("bprm_execve: {} parameter(s)", *seen.bprm_execve_args)
                                  : "no FUNC bprm_execve"));
    }
    const std::string record_claim =
        "a tracepoint's ctx is its format's record: sys_enter_execve has the 8 bytes of "
        "common fields, the syscall number, then filename, argv and envp, 8 bytes each";
    if (!seen.no_tracefs.empty()) {
        out.push_back(cannot_check(record_claim, seen.no_tracefs));
    } else {
        const auto at = [&](const std::string &name) {
            auto it = seen.record.find(name);
            return it == seen.record.end() ? std::pair{-1, -1} : it->second;
        };
        const bool layout = at("common_type").first == 0 && at("__syscall_nr").first == 8 &&
                            at("filename") == std::pair{16, 8} && at("argv") == std::pair{24, 8} &&
                            at("envp") == std::pair{32, 8};
        std::vector<std::string> fields;
        for (const auto &[offset, size, name] : by_offset(seen.record))
            fields.push_back(fmt::format("{}@{}", name, offset));
        out.push_back(observe(record_claim, layout, fmt::format("{}", fmt::join(fields, ", "))));
    }
    return out;
}

}  // namespace

Lab lab_02_context()
{
    return {2, "context", "What ctx is: registers, arguments, raw arguments, or a record", run, check};
}

}  // namespace probectl::lab
