// Lab 2: what `ctx` is. The same event handed to four program types arrives as four different
// things: the saved registers (kprobe), an array of u64 arguments (fentry, tp_btf), a raw-argument
// array (raw_tp), or a record laid out by a format file (tracepoint). The lab reads each from the
// kernel's own descriptions.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "lab_context.skel.h"
#include "labs/exec_capture.h"
#include "loader/btf_query.h"
#include "loader/core_btf.h"
#include "loader/kernel_facts.h"
#include "loader/libbpf_log.h"
#include "loader/text.h"

#include <bpf/libbpf.h>
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

// One program of probes/lab_context.bpf.c loaded alone, and attached when it loads.
struct Trial {
    std::string section, program, reads;
    int load_error = 0;    // errno; 0: loaded
    std::string refusal;   // the verifier's words when it refused ("invalid bpf_context access ...")
    int attach_error = 0;  // errno; 0: attached (when it loaded)
    [[nodiscard]] std::string shown() const
    {
        if (load_error != 0)
            return fmt::format("{} {}: refused at load ({}{})", program, reads, errno_text(load_error),
                               refusal.empty() ? "" : ": " + refusal);
        if (attach_error != 0)
            return fmt::format("{} {}: loaded; refused at attach ({})", program, reads, errno_text(attach_error));
        return fmt::format("{} {}: loaded and attached", program, reads);
    }
};

Expected<Trial> try_program(const char *name, const char *reads)
{
    lab_context_bpf *skel = lab_context_bpf::open(object_open_options());
    if (!skel)
        return fail(ErrorKind::kernel, "opening the lab's BPF object failed: " + errno_text(errno));
    Trial trial;
    trial.program = name;
    trial.reads = reads;
    bpf_program *mine = nullptr, *program = nullptr;
    bpf_object__for_each_program(program, skel->obj)
    {
        const bool it = std::string_view(bpf_program__name(program)) == name;
        bpf_program__set_autoload(program, it);
        if (it)
            mine = program;
    }
    if (!mine) {
        lab_context_bpf::destroy(skel);
        return fail(ErrorKind::internal, fmt::format("no program {} in the lab's object", name));
    }
    trial.section = bpf_program__section_name(mine);
    {
        const LibbpfLogCapture log;
        if (int err = lab_context_bpf::load(skel); err != 0) {
            trial.load_error = -err;
            trial.refusal = log_line_with(log.text(), "invalid bpf_context access");
        }
    }
    if (trial.load_error == 0) {
        if (bpf_link *link = bpf_program__attach(mine))
            bpf_link__destroy(link);
        else
            trial.attach_error = errno;
    }
    lab_context_bpf::destroy(skel);
    return trial;
}

// The context's limits, tried: what the verifier refuses at load, and what attaching refuses.
struct Limits {
    std::optional<Trial> tp_filename, tp_common, tp_past_record, raw_second, raw_sixth, raw_thirteenth,
        tp_btf_record;
    std::string no_tracepoint, no_raw_tp, no_tp_btf;  // why a part cannot run here
};

Expected<Limits> try_limits()
{
    Limits limits;
    limits.no_tracepoint = hook_problem("tracepoint");
    limits.no_raw_tp = hook_problem("raw_tp");
    limits.no_tp_btf = hook_problem("tp_btf");
    const auto attempt = [](std::optional<Trial> &into, const char *name, const char *reads) -> Expected<void> {
        auto trial = try_program(name, reads);
        if (!trial)
            return std::unexpected(trial.error());
        into = std::move(*trial);
        return {};
    };
    if (limits.no_tracepoint.empty())
        for (auto [into, name, reads] :
             {std::tuple{&limits.tp_filename, "lab_tp_filename", "reads offset 16 (filename)"},
              std::tuple{&limits.tp_common, "lab_tp_common", "reads offset 0 (the common fields)"},
              std::tuple{&limits.tp_past_record, "lab_tp_past_record",
                         "reads offset 1024, past the 40-byte record"}})
            if (auto tried = attempt(*into, name, reads); !tried)
                return std::unexpected(tried.error());
    if (limits.no_raw_tp.empty())
        for (auto [into, name, reads] :
             {std::tuple{&limits.raw_second, "lab_raw_second", "reads args[1] (the syscall's number)"},
              std::tuple{&limits.raw_sixth, "lab_raw_sixth", "reads args[5] of sys_enter's 2"},
              std::tuple{&limits.raw_thirteenth, "lab_raw_thirteenth", "reads args[12]"}})
            if (auto tried = attempt(*into, name, reads); !tried)
                return std::unexpected(tried.error());
    if (limits.no_tp_btf.empty())
        if (auto tried = attempt(limits.tp_btf_record, "lab_tp_btf_record",
                                 "reads ->pid of struct trace_event_raw_sched_process_exec");
            !tried)
            return std::unexpected(tried.error());
    return limits;
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
    auto limits = try_limits();
    if (!limits)
        return std::unexpected(limits.error());
    out += "\nReads of ctx, each program loaded alone, then attached:\n";
    for (const auto *trial :
         {&limits->tp_filename, &limits->tp_common, &limits->tp_past_record, &limits->raw_second,
          &limits->raw_sixth, &limits->raw_thirteenth, &limits->tp_btf_record})
        if (*trial)
            out += fmt::format("    SEC(\"{}\") {}\n", (*trial)->section, (*trial)->shown());
    for (const auto *why : {&limits->no_tracepoint, &limits->no_raw_tp, &limits->no_tp_btf})
        if (!why->empty())
            out += "    " + *why + "\n";
    out += "\nLook at: which reads of ctx the verifier refuses at load (it knows the program type, not the\n"
           "tracepoint), and which only attaching refuses (the record's size, the argument count).\n";
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

    auto limits = try_limits();
    if (!limits)
        return std::unexpected(limits.error());
    const std::vector<std::string> tp_claims{
        "the verifier refuses a tracepoint program's read of the common fields (offset 0) at load",
        "a tracepoint program's read past its record loads (the verifier does not know the tracepoint); "
        "attaching it is refused (EACCES), while a read within the record attaches"};
    if (!limits->no_tracepoint.empty()) {
        for (const auto &claim : tp_claims)
            out.push_back(cannot_check(claim, limits->no_tracepoint));
    } else {
        const Trial &common = *limits->tp_common, &past = *limits->tp_past_record, &within = *limits->tp_filename;
        out.push_back(observe(tp_claims[0], common.load_error != 0 && !common.refusal.empty(), common.shown()));
        out.push_back(observe(tp_claims[1],
                              past.load_error == 0 && past.attach_error == EACCES && within.load_error == 0 &&
                                  within.attach_error == 0,
                              past.shown() + "; " + within.shown()));
    }
    const std::vector<std::string> raw_claims{
        "the verifier refuses a raw_tp program's read of args[12] at load: 12 arguments at most",
        "a raw_tp program's read of args[5] loads; attaching it to sys_enter, which has 2 arguments, is "
        "refused (EINVAL), while a read of args[1] attaches"};
    if (!limits->no_raw_tp.empty()) {
        for (const auto &claim : raw_claims)
            out.push_back(cannot_check(claim, limits->no_raw_tp));
    } else {
        const Trial &beyond = *limits->raw_thirteenth, &sixth = *limits->raw_sixth, &second = *limits->raw_second;
        out.push_back(observe(raw_claims[0], beyond.load_error != 0 && !beyond.refusal.empty(), beyond.shown()));
        out.push_back(observe(raw_claims[1],
                              sixth.load_error == 0 && sixth.attach_error == EINVAL && second.load_error == 0 &&
                                  second.attach_error == 0,
                              sixth.shown() + "; " + second.shown()));
    }
    const std::string record_as_args =
        "a tp_btf program declared with the classic tracepoint's record (trace_event_raw_sched_process_exec) is "
        "refused: its ctx is the arguments, u64 each, and ->pid is offset 12 of them";
    if (!limits->no_tp_btf.empty()) {
        out.push_back(cannot_check(record_as_args, limits->no_tp_btf));
    } else {
        const Trial &record = *limits->tp_btf_record;
        out.push_back(observe(record_as_args,
                              record.load_error != 0 && record.refusal.find("off=12") != std::string::npos,
                              record.shown()));
    }
    return out;
}

}  // namespace

Lab lab_02_context()
{
    return {2,   "context", "What ctx is: registers, arguments, raw arguments, or a record",
            run, check,     {"tracepoint", "raw_tp", "tp_btf"}};
}

}  // namespace probectl::lab
