// probectl targets [PATTERN]: the attach points that match a glob, each with the hook types that can
// use it on this kernel; -v adds the arguments attach would decode there.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "attach/registry.h"
#include "attach/support.h"
#include "attach/targets.h"
#include "attach/values.h"
#include "cli/commands.h"
#include "loader/kernel_facts.h"
#include "loader/text.h"

namespace probectl {
namespace {

// The hook types that do not work here, of those the entries name, with why: dropped from each row,
// and said once. Support is tried only for hook types some entry could use.
std::map<std::string_view, std::string> unsupported_hooks(std::vector<TargetEntry> &entries)
{
    std::set<std::string_view> named;
    for (const auto &entry : entries)
        named.insert(entry.hooks.begin(), entry.hooks.end());
    std::vector<const AttachStrategy *> trials;
    for (std::string_view hook : named)
        trials.push_back(Registry::instance().find(hook));
    try_hooks(trials);
    std::map<std::string_view, std::string> unsupported;
    for (std::string_view hook : named) {
        const Support &support = hook_support(*Registry::instance().find(hook));
        if (!support.supported)
            unsupported.emplace(hook, support.reason);
    }
    for (auto &entry : entries)
        std::erase_if(entry.hooks, [&](std::string_view hook) { return unsupported.contains(hook); });
    return unsupported;
}

// What attach decodes there: a tracepoint's format; and for tp_btf and raw_tp, its BTF arguments.
std::vector<Expected<ValueList>> descriptions(const TargetEntry &entry)
{
    std::vector<Expected<ValueList>> out{describe_target(entry)};
    const bool raw = std::ranges::any_of(entry.hooks, [](std::string_view hook) {
        return Registry::instance().find(hook)->info().target_kind == TargetKind::raw_tracepoint;
    });
    if (entry.kind == TargetClass::tracepoint && raw)
        out.push_back(describe_target(
            TargetEntry{TargetClass::raw_tracepoint, entry.name.substr(entry.name.find(':') + 1), {}, {}}));
    return out;
}

// The kind in ten columns: "raw tracepoint" and "user function" shortened.
std::string_view short_class_name(TargetClass kind)
{
    switch (kind) {
    case TargetClass::raw_tracepoint: return "raw tp";
    case TargetClass::user_function: return "user func";
    default: return target_class_name(kind);
    }
}

nlohmann::json values_json(const ValueList &values)
{
    nlohmann::json out{{"source", values.source}, {"args", nlohmann::json::array()}, {"unread", values.unread}};
    for (const auto &field : values.fields)
        out["args"].push_back(
            {{"name", field.name}, {"type", value_type_name(field.type)}, {"c_type", field.c_type}});
    out["ret"] = values.ret
                     ? nlohmann::json{{"type", value_type_name(values.ret->type)}, {"c_type", values.ret->c_type}}
                     : nlohmann::json();
    return out;
}

constexpr std::size_t kColumns = 80;

// "function   vfs_read                 kprobe kretprobe fentry fexit kprobe.multi": 78 columns for a
// name of up to 24. A row that a longer name takes past 80 columns has its hooks on the next line,
// under the others; a note, on the lines below, folded at 80.
std::string row(const TargetEntry &entry)
{
    std::string hooks = entry.hooks.empty() ? "-" : fmt::format("{}", fmt::join(entry.hooks, " "));
    std::string line = fmt::format("{:<10} {:<24} {}", short_class_name(entry.kind), entry.name, hooks);
    if (line.size() > kColumns)
        line = fmt::format("{:<10} {}\n{:<36}{}", short_class_name(entry.kind), entry.name, "", hooks);
    line += "\n";
    if (!entry.note.empty())
        line += wrap("(" + entry.note + ")", kColumns, "    ", "     ");
    return line;
}

}  // namespace

int run_targets(const TargetsOptions &options)
{
    const std::string pattern = options.pattern.empty() ? "*" : options.pattern;
    if (auto tracefs = ensure_tracefs(); !tracefs)
        spdlog::warn("{}: tracepoints are not listed", tracefs.error().one_line());
    auto found = find_targets(pattern, live_kernel_symbols(), Registry::instance().infos());
    if (!found)
        return report_error(found.error());
    std::vector<TargetEntry> &entries = *found;
    if (entries.empty())
        return report_error(Error{ErrorKind::target_not_found,
                                  fmt::format("no attach point matches '{}'", pattern),
                                  "a glob matches whole names: 'vfs_*', 'sched:*', '*openat*', "
                                  "'/usr/bin/bash:*'",
                                  0, Stage::none});
    const auto unsupported = unsupported_hooks(entries);

    if (options.json) {
        nlohmann::json out{
            {"pattern", pattern}, {"kernel", kernel_release()}, {"targets", nlohmann::json::array()}};
        out["unsupported_hooks"] = nlohmann::json::object();
        for (const auto &[hook, reason] : unsupported)
            out["unsupported_hooks"][std::string(hook)] = reason;
        for (const auto &entry : entries) {
            nlohmann::json item{{"kind", target_class_name(entry.kind)},
                                {"name", entry.name},
                                {"hooks", entry.hooks},
                                {"note", entry.note.empty() ? nlohmann::json() : nlohmann::json(entry.note)}};
            if (options.verbose) {
                item["values"] = nlohmann::json::array();
                for (const auto &described : descriptions(entry))
                    item["values"].push_back(described ? values_json(*described)
                                                       : nlohmann::json{{"error", described.error().one_line()}});
            }
            out["targets"].push_back(std::move(item));
        }
        std::fputs((out.dump(2, ' ', true) + "\n").c_str(), stdout);
        return 0;
    }
    std::map<std::string, std::vector<std::string_view>> by_reason;  // one line a reason
    for (const auto &[hook, reason] : unsupported)
        by_reason[reason].push_back(hook);
    for (const auto &[reason, left_out] : by_reason)
        spdlog::info("left out, not on this kernel: {} ({})", fmt::join(left_out, ", "), reason);
    // Tens of thousands of lines: written through stdio's buffer (a closed pipe ends the listing).
    std::string text = fmt::format("{:<10} {:<24} {}\n", "KIND", "NAME", "HOOKS");
    for (const auto &entry : entries) {
        text += row(entry);
        if (options.verbose)
            for (const auto &described : descriptions(entry)) {
                text += wrap(described ? fmt::format("{}: {}", described->source, described->summary())
                                       : described.error().one_line(),
                             kColumns, "    ", "      ");
                if (described && !described->unread.empty())
                    text += wrap(fmt::format("not decoded: {}", fmt::join(described->unread, "; ")), kColumns,
                                 "    ", "      ");
            }
        if (text.size() > (1 << 16)) {
            std::fputs(text.c_str(), stdout);
            text.clear();
        }
    }
    std::fputs(text.c_str(), stdout);
    return 0;
}

}  // namespace probectl
