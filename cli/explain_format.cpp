#include "cli/explain_format.h"

#include "loader/text.h"

#include <fmt/format.h>

namespace probectl {
namespace {

std::string function_summary(const FunctionFacts &facts)
{
    if (facts.inlined_or_absent())
        return fmt::format("{}: inlined or absent on this kernel (in neither /proc/kallsyms nor BTF){}",
                           facts.name,
                           facts.clones.empty() ? "" : fmt::format("; clones: {}", fmt::join(facts.clones, ", ")));
    std::string blacklist;
    if (facts.blacklisted)
        blacklist =
            *facts.blacklisted ? "; on the kprobe blacklist: kprobes refuse it" : "; not on the kprobe blacklist";
    return fmt::format(
        "{}: kallsyms {}; BTF {}; traceable (available_filter_functions) {}{}{}", facts.name,
        facts.in_kallsyms ? "yes" : "no",
        facts.btf_params ? fmt::format("yes, {} parameter{}", *facts.btf_params, *facts.btf_params == 1 ? "" : "s")
                         : "no",
        facts.traceable ? (*facts.traceable ? "yes" : "no") : "unknown (the list is unreadable here)", blacklist,
        facts.clones.empty() ? "" : fmt::format("; clones: {}", fmt::join(facts.clones, ", ")));
}

}  // namespace

std::string explain_text(const ExplainReport &report)
{
    constexpr std::size_t kColumns = 80;
    std::string out = fmt::format("{}: {}\n", report.target, report.kind);
    if (report.function)
        out += wrap(function_summary(*report.function), kColumns, "  ", "    ");
    for (const auto &detail : report.details)
        out += wrap(detail, kColumns, "  ", "    ");
    out += fmt::format("\n{:<13} {:<5} {:<34} {}\n", "HOOK", "HERE", "ATTACHES TO", "WHY NOT / NOTE");
    for (const auto &hook : report.hooks) {
        const std::string &why = hook.works ? hook.note : hook.reason;
        std::string row = fmt::format("{:<13} {:<5} {:<34} {}", hook.hook, hook.works ? "yes" : "no",
                                      hook.attach_point.empty() ? "-" : hook.attach_point, why);
        // A row past 80 columns has its note on the lines below, folded.
        if (row.size() > kColumns)
            row = wrap(hook.attach_point.empty() ? "-" : hook.attach_point, kColumns,
                       fmt::format("{:<13} {:<5} ", hook.hook, hook.works ? "yes" : "no"), std::string(20, ' ')) +
                  (why.empty() ? "" : wrap(why, kColumns, "      ", "      "));
        while (row.ends_with(' '))  // a row that works, without a note
            row.pop_back();
        out += row.ends_with('\n') ? row : row + "\n";
        if (!hook.decodes.empty())
            out += wrap("decodes " + hook.decodes, kColumns, "      ", "        ");
    }
    if (!report.alternatives.empty()) {
        std::vector<std::string> here, unreached, absent;
        for (const auto &alternative : report.alternatives) {
            if (!alternative.present)
                absent.push_back(alternative.name);
            else if (!alternative.hooks)  // its hook types were not tried
                here.push_back(alternative.name);
            else if (alternative.hooks->empty())
                unreached.push_back(alternative.name);
            else
                here.push_back(fmt::format("{} ({})", alternative.name, fmt::join(*alternative.hooks, ", ")));
        }
        out += "\n";
        if (!here.empty())
            out += wrap(fmt::format("The same event can be seen here at: {}", fmt::join(here, "; ")), kColumns, "",
                        "    ");
        if (!unreached.empty())
            out += wrap(fmt::format("Present, but no hook type that works here attaches there: {}",
                                    fmt::join(unreached, ", ")),
                        kColumns, "", "    ");
        if (!absent.empty())
            out += wrap(fmt::format("Absent on this kernel: {}", fmt::join(absent, ", ")), kColumns, "", "    ");
    }
    return out;
}

nlohmann::json explain_json(const ExplainReport &report)
{
    nlohmann::json out{{"target", report.target}, {"kind", report.kind}, {"details", report.details}};
    if (report.function) {
        const FunctionFacts &facts = *report.function;
        out["function"] = {
            {"name", facts.name},
            {"in_kallsyms", facts.in_kallsyms},
            {"clones", facts.clones},
            {"btf_params", facts.btf_params ? nlohmann::json(*facts.btf_params) : nlohmann::json()},
            {"traceable", facts.traceable ? nlohmann::json(*facts.traceable) : nlohmann::json()},
            {"kprobe_blacklisted", facts.blacklisted ? nlohmann::json(*facts.blacklisted) : nlohmann::json()},
            {"inlined_or_absent", facts.inlined_or_absent()}};
    }
    out["hooks"] = nlohmann::json::array();
    for (const auto &hook : report.hooks)
        out["hooks"].push_back(
            {{"hook", hook.hook},
             {"works", hook.works},
             {"attach_point", hook.attach_point.empty() ? nlohmann::json() : nlohmann::json(hook.attach_point)},
             {"note", hook.note.empty() ? nlohmann::json() : nlohmann::json(hook.note)},
             {"reason", hook.reason.empty() ? nlohmann::json() : nlohmann::json(hook.reason)},
             {"decodes", hook.decodes.empty() ? nlohmann::json() : nlohmann::json(hook.decodes)}});
    out["alternatives"] = nlohmann::json::array();
    for (const auto &alternative : report.alternatives)
        out["alternatives"].push_back(
            {{"name", alternative.name},
             {"present", alternative.present},
             {"hooks", alternative.hooks ? nlohmann::json(*alternative.hooks) : nlohmann::json()}});
    return out;
}

}  // namespace probectl
