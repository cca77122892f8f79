// probectl btf NAME: a kernel type or function as C, from the kernel's own BTF; its layout on request.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

#include "cli/btf_format.h"
#include "cli/commands.h"
#include "loader/btf_query.h"
#include "loader/text.h"
#include "probes/event.h"

namespace probectl {

std::string btf_text(const BtfDefinition &definition, bool offsets)
{
    std::string out;
    if (definition.kind == "func")
        out += fmt::format("/* func {}: BTF id {}, {} parameter{} */\n", definition.name, definition.id,
                           definition.params, definition.params == 1 ? "" : "s");
    else
        out += fmt::format("/* {} {}: BTF id {}, {} bytes */\n", definition.kind, definition.name, definition.id,
                           definition.size);
    out += definition.c;
    if (!offsets || definition.members.empty())
        return out;
    out += fmt::format("\n{:>8} {:>6}  {:<28} {}\n", "OFFSET", "SIZE", "MEMBER", "TYPE");
    for (const auto &member : definition.members) {
        if (member.hole_before)
            out += fmt::format("{:>8} {:>6}  /* hole: {} of padding */\n", "", member.hole_before,
                               counted(member.hole_before, "byte"));
        const std::string offset = member.bitfield_bits
                                       ? fmt::format("{}:{}", member.offset_bits / 8, member.offset_bits % 8)
                                       : fmt::format("{}", member.offset_bits / 8);
        const std::string size =
            member.bitfield_bits ? counted(member.bitfield_bits, "bit") : fmt::format("{}", member.size_bytes);
        out += fmt::format("{:>8} {:>6}  {:<28} {}\n", offset, size,
                           member.name.empty() ? "(anonymous)" : member.name, member.type);
    }
    if (definition.tail_padding)
        out += fmt::format("{:>8} {:>6}  /* tail padding: {} bytes */\n", "", definition.tail_padding,
                           definition.tail_padding);
    return out;
}

nlohmann::json btf_json(const BtfDefinition &definition)
{
    nlohmann::json out{
        {"name", definition.name}, {"kind", definition.kind}, {"id", definition.id}, {"c", definition.c}};
    if (definition.kind == "func") {
        out["params"] = definition.params;
        return out;
    }
    out["size"] = definition.size;
    if (!definition.members.empty()) {
        out["members"] = nlohmann::json::array();
        for (const auto &member : definition.members)
            out["members"].push_back({{"name", member.name},
                                      {"type", member.type},
                                      {"offset_bits", member.offset_bits},
                                      {"size", member.size_bytes},
                                      {"bitfield_bits", member.bitfield_bits},
                                      {"hole_before", member.hole_before}});
        out["tail_padding"] = definition.tail_padding;
    }
    return out;
}

int run_btf(const BtfOptions &options)
{
    auto btf = options.file.empty() ? BtfFile::kernel() : BtfFile::parse(options.file);
    if (!btf)
        return report_error(btf.error());
    auto definition = btf->describe(options.name);
    if (!definition)
        return report_error(definition.error());
    // A function, or a BTF tracepoint's typedef: the arguments probectl attach decodes from it.
    std::optional<ValueList> values;
    if (definition->kind == "func")
        values = btf->function_values(definition->name, PCTL_VALUES, true).value_or(ValueList{});
    else if (definition->kind == "typedef" && definition->name.starts_with("btf_trace_"))
        values = btf->tracepoint_values(definition->name.substr(10)).value_or(ValueList{});
    std::string text = options.json ? "" : btf_text(*definition, options.offsets);
    if (options.json) {
        nlohmann::json out = btf_json(*definition);
        if (values)
            out["decoded"] = values->summary();
        text = out.dump(2) + "\n";
    } else if (values) {
        text += fmt::format("/* probectl attach decodes: {} */\n", values->summary());
    }
    std::fputs(text.c_str(), stdout);
    return 0;
}

}  // namespace probectl
