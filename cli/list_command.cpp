// probectl list: every hook type, what it can see, and whether it works here (and why not).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "attach/registry.h"
#include "attach/support.h"
#include "cli/commands.h"

namespace probectl {

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

    fmt::print("{:<13} {:<28} {:<30} {:<12} {:<5} {:<4} {:<6} {}\n", "HOOK", "ALIASES", "PROGRAM TYPE", "RUNS",
               "ARGS", "RET", "SINCE", "HERE");
    std::string reasons;
    for (const auto &strategy : strategies) {
        const HookInfo &info = strategy->info();
        const Support &support = hook_support(*strategy);
        fmt::print("{:<13} {:<28} {:<30} {:<12} {:<5} {:<4} {:<6} {}\n", info.name,
                   fmt::format("{}", fmt::join(info.aliases, ",")), program_type_name(info.program_type),
                   phase_name(info.phase), info.entry_args ? "yes" : "no", info.return_value ? "yes" : "no",
                   info.min_kernel, support.supported ? "yes" : "no");
        if (!support.supported)
            reasons += fmt::format("{}: {}: {}\n", info.name, unsupported_verdict(support), support.reason);
    }
    if (!reasons.empty())
        fmt::print("\n{}", reasons);
    fmt::print("\nWhat each hook sees:\n");
    for (const auto &strategy : strategies)
        fmt::print("  {:<13} {}\n", strategy->info().name, strategy->info().sees);
    return 0;
}

}  // namespace probectl
