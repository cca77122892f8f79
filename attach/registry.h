// The registry: one explicit table of hook types (attach/registry.cpp), in the order probectl
// lists them.
#pragma once

#include "attach/strategy.h"
#include "loader/error.h"

#include <memory>
#include <string_view>
#include <vector>

namespace probectl {

class Registry {
public:
    static const Registry &instance();

    [[nodiscard]] const std::vector<std::unique_ptr<AttachStrategy>> &all() const { return strategies_; }
    // Each hook type's facts, in registry order.
    [[nodiscard]] std::vector<const HookInfo *> infos() const;
    // By name or alias ("kfunc" is fentry, "tp" is tracepoint); nullptr when none.
    [[nodiscard]] const AttachStrategy *find(std::string_view name) const;
    // By the hook id an event carries (enum pctl_hook); nullptr when none.
    [[nodiscard]] const AttachStrategy *by_id(std::uint32_t id) const;
    // As find(), failing with ErrorKind::unknown_hook and the list of names.
    [[nodiscard]] Expected<const AttachStrategy *> lookup(std::string_view name) const;
    // "kprobe, kretprobe, ..."
    [[nodiscard]] std::string names() const;

private:
    Registry();
    std::vector<std::unique_ptr<AttachStrategy>> strategies_;
};

}  // namespace probectl
