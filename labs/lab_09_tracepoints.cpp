// Lab 9: one tracepoint, three ways. sched_process_exec as a classic tracepoint (a record laid out
// by its format file), as tp_btf (the tracepoint's own arguments, typed by BTF) and as raw_tp (the
// same arguments as untyped u64 values).
#include "labs/labs_list.h"

#include "labs/exec_capture.h"
#include "loader/btf_query.h"
#include "loader/kernel_facts.h"
#include "loader/text.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace probectl::lab {
namespace {

constexpr const char *kTrue = "/bin/true";
constexpr const char *kPrototype = "(void *, struct task_struct *, pid_t, struct linux_binprm *)";

// The format file's field lines: "field:unsigned short common_type;" -> "unsigned short common_type".
std::vector<std::string> format_fields(const std::string &format)
{
    std::vector<std::string> fields;
    for (const auto &line : split(format, '\n')) {
        const auto start = line.find("field:");
        const auto end = line.find(';');
        if (start != std::string::npos && end != std::string::npos && end > start)
            fields.push_back(line.substr(start + 6, end - start - 6));
    }
    return fields;
}

std::string format_text()
{
    const auto tracefs = tracefs_mount();
    return tracefs ? read_text_file(*tracefs + "/events/sched/sched_process_exec/format") : "";
}

Expected<Capture> exec_after()
{
    return capture({"tp_btf", "raw_tp"}, "execve", [] { return exec_in_child(kTrue); });
}

std::string typed_context()
{
    auto btf = BtfFile::kernel();
    if (!btf)
        return "";
    auto described = btf->describe("btf_trace_sched_process_exec");
    if (!described)
        return "";
    // The typedef's own line, without the types it needs before it.
    const auto start = described->c.rfind("typedef");
    const auto end = described->c.find(';', start == std::string::npos ? 0 : start);
    return start == std::string::npos || end == std::string::npos ? ""
                                                                  : described->c.substr(start, end - start + 1);
}

Expected<std::string> run()
{
    std::string out = "1. The classic tracepoint's record, from tracefs events/sched/sched_process_exec/format:\n";
    const std::string format = format_text();
    for (const auto &field : format_fields(format))
        out += "     " + field + "\n";
    if (format.empty())
        out += "     (tracefs is not mounted: no format file)\n";
    const std::string typed = typed_context();
    out += "\n2. tp_btf's context, from the kernel's BTF:\n     " + (typed.empty() ? "(no kernel BTF)" : typed) +
           "\n";
    auto seen = exec_after();
    if (!seen)
        return std::unexpected(seen.error());
    out += fmt::format("\n3. tp_btf and raw_tp attached at sched_process_exec, one child execs {}:\n", kTrue);
    if (!seen->unsupported.empty())
        out += "     " + seen->unsupported + "\n";
    for (const char *hook : {"tp_btf", "raw_tp"})
        for (const auto &e : seen->events[hook])
            out += fmt::format("     {:<7} {} comm '{}'\n", hook, describe(e), e.comm);
    out += "\nLook at: the common_ fields every tracepoint record starts with; the __data_loc file name (an\n"
           "offset, not a pointer); the same three arguments typed (tp_btf) or as raw u64 values (raw_tp).\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    std::vector<Observation> out;
    const std::vector<std::string> format_claims{
        "the tracepoint's record starts with the common fields: common_type, common_flags, common_preempt_count, "
        "common_pid",
        "its file name is a __data_loc field: where the string lies in the record, not a pointer"};
    const std::string format = format_text();
    if (format.empty()) {
        for (const auto &claim : format_claims)
            out.push_back(cannot_check(claim, "tracefs is not mounted and could not be mounted"));
    } else {
        const auto fields = format_fields(format);
        std::vector<std::string> common;
        for (const auto &field : fields)
            if (field.find(" common_") != std::string::npos)
                common.push_back(field.substr(field.rfind(' ') + 1));
        const bool first_are_common = fields.size() >= 4 && fields[0].ends_with(" common_type");
        bool all_four = true;
        for (const char *name : {"common_type", "common_flags", "common_preempt_count", "common_pid"})
            all_four = all_four && std::ranges::find(common, name) != common.end();
        out.push_back(observe(format_claims[0], first_are_common && all_four,
                              fmt::format("common fields: {}", fmt::join(common, ", "))));
        const bool data_loc = std::ranges::any_of(
            fields, [](const std::string &f) { return f.starts_with("__data_loc") && f.ends_with(" filename"); });
        out.push_back(
            observe(format_claims[1], data_loc, "format: " + fmt::format("{}", fmt::join(fields, "; "))));
    }

    const std::vector<std::string> btf_claims{
        fmt::format("tp_btf's context is typed by BTF: btf_trace_sched_process_exec takes {}", kPrototype),
        "tp_btf and raw_tp both see the exec after it happened: once each, same pid, in the new image (comm "
        "'true')"};
    auto seen = exec_after();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty()) {
        for (const auto &claim : btf_claims)
            out.push_back(cannot_check(claim, seen->unsupported));
        return out;
    }
    const std::string typed = typed_context();
    out.push_back(observe(btf_claims[0], typed.find(kPrototype) != std::string::npos,
                          typed.empty() ? "no btf_trace_sched_process_exec in the kernel's BTF" : typed));
    const auto &tp = seen->events["tp_btf"];
    const auto &raw = seen->events["raw_tp"];
    const bool same = tp.size() == 1 && raw.size() == 1 && tp.front().pid == raw.front().pid &&
                      tp.front().comm == "true" && raw.front().comm == "true";
    out.push_back(observe(
        btf_claims[1], same,
        fmt::format("tp_btf: {} event(s){}; raw_tp: {} event(s){}", tp.size(),
                    tp.empty() ? "" : ", " + describe(tp.front()) + " comm '" + tp.front().comm + "'", raw.size(),
                    raw.empty() ? "" : ", " + describe(raw.front()) + " comm '" + raw.front().comm + "'")));
    return out;
}

}  // namespace

Lab lab_09_tracepoints()
{
    return {
        9,     "tracepoint-tp_btf-raw_tp",        "One tracepoint three ways: tracepoint, tp_btf and raw_tp", run,
        check, {"tracepoint", "tp_btf", "raw_tp"}};
}

}  // namespace probectl::lab
