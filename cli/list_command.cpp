// probectl list: every hook type, what it can see, and whether it works here (and why not).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "attach/registry.h"
#include "attach/support.h"
#include "cli/commands.h"
#include "loader/text.h"

namespace probectl {
namespace {

constexpr std::size_t kListColumns = 80;  // the table and its notes fit a terminal this wide

}  // namespace

int run_list(const ListOptions &options)
{
    const auto &strategies = Registry::instance().all();
    try_all_hooks();
    if (options.json) {  // one document, as bpftool -j lists: an array of hook types
        nlohmann::json rows = nlohmann::json::array();
        for (const auto &strategy : strategies) {
            const HookInfo &info = strategy->info();
            const Support &support = hook_support(*strategy);
            nlohmann::json row;
            row["hook"] = info.name;
            row["aliases"] = info.aliases;
            row["program_type"] = program_type_name(info.program_type);
            row["section"] = info.section;
            row["runs"] = phase_name(info.phase);
            row["entry_args"] = info.entry_args;
            row["return_value"] = info.return_value;
            row["needs_btf"] = info.needs_btf;
            row["sees"] = info.sees;
            row["min_kernel"] = info.min_kernel;
            row["supported"] = support.supported;
            row["reason"] = support.supported ? nlohmann::json() : nlohmann::json(support.reason);
            // what stands in the way: the kernel, or this process's privileges
            row["refused_by"] = support.supported                       ? nlohmann::json()
                                : support.kind == ErrorKind::permission ? nlohmann::json("privileges")
                                                                        : nlohmann::json("kernel");
            rows.push_back(std::move(row));
        }
        std::fputs((rows.dump(-1, ' ', true) + "\n").c_str(), stdout);
        return 0;
    }

    // 80 columns: the program type without its BPF_PROG_TYPE_ prefix, the aliases last, folded
    constexpr const char *kRow = "{:<13} {:<4} {:<5} {:<11} {:<4} {:<3} {:<14} ";
    const std::string indent(fmt::format(fmt::runtime(kRow), "", "", "", "", "", "", "").size(), ' ');
    std::string out =
        fmt::format(fmt::runtime(kRow), "HOOK", "HERE", "SINCE", "RUNS", "ARGS", "RET", "PROGRAM TYPE") +
        "ALIASES\n";
    std::string reasons;
    for (const auto &strategy : strategies) {
        const HookInfo &info = strategy->info();
        const Support &support = hook_support(*strategy);
        std::string type(program_type_name(info.program_type));
        if (type.starts_with("BPF_PROG_TYPE_"))
            type.erase(0, 14);
        const std::string row = fmt::format(
            fmt::runtime(kRow), info.name, support.supported ? "yes" : "no", info.min_kernel,
            phase_name(info.phase), info.entry_args ? "yes" : "no", info.return_value ? "yes" : "no", type);
        out += wrap(fmt::format("{}", fmt::join(info.aliases, ",")), kListColumns, row, indent);
        if (!support.supported)
            reasons += wrap(fmt::format("{}: {}: {}", info.name, unsupported_verdict(support), support.reason),
                            kListColumns, "", "    ");
    }
    if (!reasons.empty())
        out += "\n" + reasons;
    out += "\nWhat each hook sees:\n";
    for (const auto &strategy : strategies)
        out += wrap(std::string(strategy->info().sees), kListColumns,
                    fmt::format("  {:<13} ", strategy->info().name), std::string(16, ' '));
    std::fputs(out.c_str(), stdout);
    return 0;
}

}  // namespace probectl
