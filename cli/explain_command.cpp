// probectl explain TARGET: every hook type's verdict on a target here, tried for real, with reasons,
// the facts behind them and the alternatives that see the same event.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "attach/explain.h"
#include "attach/support.h"
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

}  // namespace

int run_explain(const ExplainOptions &options)
{
    auto target = parse_target(options.target);
    if (!target)
        return report_error(target.error());
    if (target->kind == Target::Kind::qualified && target->left.find('/') == std::string::npos &&
        target->left != "libc" && target->left.find(".so") == std::string::npos)
        (void)ensure_tracefs();  // tracepoint facts live in tracefs
    ExplainReport report = explain(*target, live_kernel_symbols(), live_trial);
    add_live_details(*target, report);
    const std::string text = options.json ? explain_json(report).dump(2) + "\n" : explain_text(report);
    std::fputs(text.c_str(), stdout);
    return 0;
}

}  // namespace probectl
