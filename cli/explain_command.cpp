// probectl explain TARGET: every hook type's verdict on a target here, tried for real, with reasons,
// the facts behind them and the alternatives that see the same event.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "attach/explain.h"
#include "attach/registry.h"
#include "attach/support.h"
#include "attach/targets.h"
#include "attach/values.h"
#include "cli/commands.h"
#include "cli/explain_format.h"
#include "loader/btf_query.h"
#include "loader/elf_symbols.h"
#include "loader/text.h"

namespace probectl {
namespace {

std::optional<std::string> live_trial(const AttachStrategy &strategy, const ResolvedTarget &target)
{
    ProbeFilter nobody;
    nobody.tgid = ProbeFilter::kNoProcess;
    auto probe = attach_or_explain(strategy, target, nobody);
    if (probe)
        return std::nullopt;
    return probe.error().message;
}

std::string last_line(std::string text)
{
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    const auto newline = text.rfind('\n');
    return newline == std::string::npos ? text : text.substr(newline + 1);
}

// The tracepoint's format file: one line per field, common fields marked.
void add_tracepoint_details(const Target &target, ExplainReport &report)
{
    auto tracefs = tracefs_mount();
    if (!tracefs)
        return;
    std::istringstream format(
        read_text_file(fmt::format("{}/events/{}/{}/format", *tracefs, target.left, target.right)));
    for (std::string line; std::getline(format, line);) {
        const auto field = line.find("field:");
        if (field == std::string::npos)
            continue;
        std::string declaration = line.substr(field + 6, line.find(';', field) - field - 6);
        const bool common = declaration.find(" common_") != std::string::npos;
        report.details.push_back(
            fmt::format("format field {}{}", declaration,
                        common ? " (common: set by the tracing core, not by the event)" : ""));
    }
    if (auto btf = BtfFile::kernel()) {
        if (auto context = btf->describe("btf_trace_" + target.right)) {
            report.details.push_back("tp_btf context: " + last_line(context->c) + " (the arguments after void *)");
            report.details.push_back(
                "raw_tp context: the same arguments as untyped u64 in struct bpf_raw_tracepoint_args");
        }
    }
}

void add_live_details(const Target &target, ExplainReport &report)
{
    if (report.function && report.function->btf_params)
        if (auto btf = BtfFile::kernel())
            if (auto prototype = btf->describe(report.function->name); prototype && prototype->kind == "func")
                report.details.push_back("BTF prototype: " + last_line(prototype->c));
    if (report.kind == "tracepoint")
        add_tracepoint_details(target, report);
    if (report.kind == "user function") {
        auto binary = resolve_binary(target.left);
        if (!binary) {
            report.details.push_back(binary.error().message);
            return;
        }
        auto symbol = find_elf_function(*binary, target.right);
        report.details.push_back(
            symbol ? fmt::format("ELF {}: {} at address {:#x}, file offset {:#x}, {} bytes{}", *binary,
                                 symbol->name, symbol->address, symbol->file_offset, symbol->size,
                                 symbol->from_dynsym ? " (from .dynsym only: the binary is stripped)" : "")
                   : symbol.error().message);
    }
}

// What attach would decode at each hook's attach point, off the exec path: the same list, from
// the same description, as attach prints before its first event.
void add_decoded_values(const Target &target, ExplainReport &report)
{
    for (auto &verdict : report.hooks) {
        const AttachStrategy *strategy = Registry::instance().find(verdict.hook);
        if (!verdict.resolved || !strategy || !strategy->generic_capture() ||
            !captures_generically(target, *verdict.resolved))
            continue;
        ResolvedTarget &resolved = *verdict.resolved;
        if (auto described = describe_into(strategy->info(), resolved); !described)
            verdict.decodes = fmt::format("nothing: {}", described.error().one_line());
        else if (const ValueList *one = resolved.site_values.size() == 1 ? &resolved.site_values[0]
                                        : resolved.values                ? &*resolved.values
                                                                         : nullptr)
            verdict.decodes = fmt::format("{} (from {})", one->summary(), one->source);
        else if (!resolved.site_values.empty())
            verdict.decodes = fmt::format("each function's own arguments, from its BTF prototype ({} functions)",
                                          resolved.site_values.size());
    }
}

Expected<ExplainReport> explain_one(const std::string &text)
{
    auto target = parse_target(text);
    if (!target)
        return std::unexpected(target.error());
    if (target->kind == Target::Kind::qualified && target->left.find('/') == std::string::npos &&
        target->left != "libc" && target->left.find(".so") == std::string::npos)
        (void)ensure_tracefs();  // tracepoint facts live in tracefs
    ExplainReport report = explain(*target, live_kernel_symbols(), live_trial);
    add_live_details(*target, report);
    add_decoded_values(*target, report);
    return report;
}

constexpr size_t kMaxExplained = 8;  // a glob's matches explained in full; the rest named

// The names of the matches, those explained first: at most `most`, taken from each kind in turn
// (so '*openat*' reaches the syscall and its tracepoints, not only eight kernel functions), in
// the matches' order; then the rest.
std::vector<std::string> spread_over_kinds(const std::vector<TargetEntry> &entries, size_t most)
{
    std::map<TargetClass, std::vector<size_t>> by_kind;
    for (size_t i = 0; i < entries.size(); i++)
        by_kind[entries[i].kind].push_back(i);
    std::vector<bool> chosen(entries.size(), false);
    size_t taken = 0;
    for (size_t round = 0; taken < most && taken < entries.size(); round++)
        for (const auto &[kind, indexes] : by_kind)
            if (round < indexes.size() && taken < most) {
                chosen[indexes[round]] = true;
                taken++;
            }
    std::vector<std::string> names;
    for (size_t i = 0; i < entries.size(); i++)
        if (chosen[i])
            names.push_back(entries[i].name);
    for (size_t i = 0; i < entries.size(); i++)
        if (!chosen[i])
            names.push_back(entries[i].name);
    return names;
}

// A glob: the attach points it matches (as probectl targets lists them), each explained.
Expected<std::vector<std::string>> glob_matches(const std::string &pattern)
{
    (void)ensure_tracefs();
    auto entries = find_targets(pattern, live_kernel_symbols(), Registry::instance().infos());
    if (!entries)
        return std::unexpected(entries.error());
    if (entries->empty())
        return fail(ErrorKind::target_not_found, fmt::format("no attach point matches '{}'", pattern),
                    "a glob matches whole names: 'vfs_*', 'sched:*', '*openat*'; probectl targets lists them");
    return spread_over_kinds(*entries, kMaxExplained);
}

}  // namespace

int run_explain(const ExplainOptions &options)
{
    std::vector<std::string> names{options.target};
    const bool glob = options.target.find_first_of("*?") != std::string::npos;
    if (glob) {
        auto matches = glob_matches(options.target);
        if (!matches)
            return report_error(matches.error());
        names = std::move(*matches);
    }
    std::string text;
    nlohmann::json reports = nlohmann::json::array();
    bool attachable = glob;  // a glob's matches are attach points
    for (size_t i = 0; i < names.size() && i < kMaxExplained; i++) {
        auto report = explain_one(names[i]);
        if (!report)
            return report_error(report.error());
        attachable = attachable || std::ranges::any_of(report->hooks, [](const HookVerdict &verdict) {
                         return verdict.resolved.has_value();
                     });
        if (options.json)
            reports.push_back(explain_json(*report));
        else
            text += (i > 0 ? "\n" : "") + explain_text(*report);
    }
    if (names.size() > kMaxExplained)
        text += fmt::format("\n... and {} more matches of '{}': probectl targets '{}' lists them all\n",
                            names.size() - kMaxExplained, options.target, options.target);
    if (options.json && glob) {
        // The matches not explained are named, never dropped.
        const std::vector<std::string> rest(
            names.begin() + static_cast<long>(std::min(names.size(), kMaxExplained)), names.end());
        text = nlohmann::json{{"pattern", options.target}, {"reports", reports}, {"not_explained", rest}}.dump(2) +
               "\n";
    } else if (options.json) {
        text = reports[0].dump(2) + "\n";
    }
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
    // A name no hook type finds anywhere (a typo, an inlined function): the report says what is
    // near; the exit code says it was not found.
    if (!attachable)
        return report_error(Error{ErrorKind::target_not_found,
                                  fmt::format("no hook type finds '{}' on this kernel", options.target),
                                  "the report above names what is near; probectl targets 'GLOB' lists names"});
    return 0;
}

}  // namespace probectl
