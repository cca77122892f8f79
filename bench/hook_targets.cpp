#include "bench/hook_targets.h"

#include "attach/registry.h"
#include "attach/support.h"

#include <fmt/format.h>

namespace probectl::bench {

Expected<std::vector<HookTarget>> hook_targets(const std::vector<std::string> &names, bool resolve_exec)
{
    const auto execve = parse_target("execve");
    std::vector<HookTarget> targets;
    for (const auto &name : names) {
        auto strategy = Registry::instance().lookup(name);
        if (!strategy)
            return std::unexpected(strategy.error());
        HookTarget &t = targets.emplace_back();
        t.strategy = *strategy;
        t.name = std::string((*strategy)->info().name);
        if (const Support &support = hook_support(**strategy); !support.supported) {
            t.not_measured = fmt::format("{}: {}", unsupported_verdict(support), support.reason);
            continue;
        }
        if (!resolve_exec)
            continue;
        if (auto resolved = (*strategy)->resolve(*execve, ResolveOptions{}))
            t.exec = *resolved;
        else
            t.not_measured = resolved.error().one_line();
    }
    return targets;
}

}  // namespace probectl::bench
