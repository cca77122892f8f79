// Lab 4: BTF, the kernel's own description of its types. The lab reads the running kernel's BTF
// with libbpf: how many types, a function (FUNC pointing to a FUNC_PROTO with named parameters) and
// a struct's layout (member offsets, holes, tail padding).
#include "labs/labs_list.h"

#include "loader/btf_query.h"

#include <bpf/btf.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace probectl::lab {
namespace {

struct Function {
    bool found = false;
    std::string proto_kind;
    std::vector<std::string> params;  // "struct linux_binprm *bprm"
    bool all_named = true;
};

struct Seen {
    std::uint32_t types = 0;
    Function function;
    std::optional<BtfDefinition> binprm;
    std::string unavailable;
};

std::string type_name(const btf *b, std::uint32_t id)
{
    // Enough C for a parameter: pointers, const, struct/union/enum names, typedefs and base types.
    std::string suffix;
    while (id) {
        const btf_type *t = btf__type_by_id(b, id);
        if (btf_is_ptr(t)) {
            suffix = " *" + suffix;
            id = t->type;
        } else if (btf_is_const(t) || btf_is_volatile(t)) {
            id = t->type;
        } else {
            const char *name = btf__name_by_offset(b, t->name_off);
            const char *tag = btf_is_struct(t)  ? "struct "
                              : btf_is_union(t) ? "union "
                              : btf_is_enum(t)  ? "enum "
                                                : "";
            return fmt::format("{}{}{}", tag, name && *name ? name : "(anonymous)", suffix);
        }
    }
    return "void" + suffix;
}

Function read_function(const btf *b, const char *name)
{
    Function f;
    const int id = btf__find_by_name_kind(b, name, BTF_KIND_FUNC);
    if (id <= 0)
        return f;
    const btf_type *func = btf__type_by_id(b, static_cast<std::uint32_t>(id));
    const btf_type *proto = btf__type_by_id(b, func->type);
    f.found = true;
    f.proto_kind = btf_is_func_proto(proto) ? "FUNC_PROTO" : "other";
    if (!btf_is_func_proto(proto))
        return f;
    const btf_param *param = btf_params(proto);
    for (int i = 0; i < btf_vlen(proto); i++, param++) {
        const char *pname = btf__name_by_offset(b, param->name_off);
        const std::string type = type_name(b, param->type);
        f.all_named = f.all_named && pname && *pname;
        f.params.push_back(type + (type.ends_with('*') ? "" : " ") + (pname ? pname : ""));
    }
    return f;
}

Seen experiment()
{
    Seen seen;
    std::unique_ptr<btf, void (*)(btf *)> kernel(btf__load_vmlinux_btf(), btf__free);
    if (!kernel) {
        seen.unavailable = "this kernel has no BTF (/sys/kernel/btf/vmlinux)";
        return seen;
    }
    seen.types = btf__type_cnt(kernel.get()) - 1;
    seen.function = read_function(kernel.get(), "bprm_execve");
    if (auto parsed = BtfFile::kernel())
        if (auto binprm = parsed->describe("linux_binprm"))
            seen.binprm = *binprm;
    return seen;
}

std::string layout_text(const BtfDefinition &d)
{
    std::string out;
    for (const auto &m : d.members) {
        if (m.hole_before)
            out += fmt::format("      {:>5}        /* hole: {} bytes */\n", "", m.hole_before);
        out += fmt::format("      {:>5}  {:>4}  {}{} {}\n", m.offset_bits / 8, m.size_bytes, m.type,
                           m.bitfield_bits ? fmt::format(" :{}", m.bitfield_bits) : "", m.name);
    }
    if (d.tail_padding)
        out += fmt::format("             /* tail padding: {} bytes */\n", d.tail_padding);
    return out;
}

Expected<std::string> run()
{
    const Seen seen = experiment();
    if (!seen.unavailable.empty())
        return "This lab reads the kernel's BTF: " + seen.unavailable + "\n";
    std::string out = fmt::format("The kernel's BTF describes {} types.\n\n", seen.types);
    out += fmt::format("FUNC bprm_execve -> {} ({})\n\n", seen.function.proto_kind,
                       fmt::join(seen.function.params, ", "));
    if (seen.binprm)
        out += fmt::format("struct linux_binprm, {} bytes:\n{}", seen.binprm->size, layout_text(*seen.binprm));
    out += "\nLook at: the prototype's parameter names (what fentry can read, typed), the bitfields, and where\n"
           "the compiler left holes. Try: probectl btf linux_binprm --offsets; bpftool btf dump file "
           "/sys/kernel/btf/vmlinux | grep -c \"\\] FUNC '\"\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    const Seen seen = experiment();
    const std::vector<std::string> claims{
        "the kernel's BTF describes tens of thousands of types",
        "a function is a FUNC pointing to a FUNC_PROTO: bprm_execve's first parameter is struct linux_binprm "
        "*bprm, and every parameter is named",
        "struct linux_binprm's members lie at increasing offsets, all inside the struct",
        "members, holes and tail padding of struct linux_binprm add up to its size"};
    if (!seen.unavailable.empty())
        return none_checkable(claims, seen.unavailable);
    std::vector<Observation> out;
    out.push_back(observe(claims[0], seen.types > 10000, fmt::format("{} types", seen.types)));
    const auto &f = seen.function;
    out.push_back(observe(claims[1],
                          f.found && f.proto_kind == "FUNC_PROTO" && !f.params.empty() &&
                              f.params.front() == "struct linux_binprm *bprm" && f.all_named,
                          f.found ? fmt::format("bprm_execve -> {} ({})", f.proto_kind, fmt::join(f.params, ", "))
                                  : "no FUNC bprm_execve"));
    if (!seen.binprm) {
        out.push_back(observe(claims[2], false, "no struct linux_binprm in the kernel's BTF"));
        out.push_back(observe(claims[3], false, "no struct linux_binprm in the kernel's BTF"));
        return out;
    }
    const BtfDefinition &d = *seen.binprm;
    bool increasing = true, inside = true;
    std::uint32_t previous = 0, bytes = 0;
    for (const auto &m : d.members) {
        increasing = increasing && m.offset_bits >= previous;
        previous = m.offset_bits;
        const std::uint32_t end_bits = m.offset_bits + (m.bitfield_bits ? m.bitfield_bits : m.size_bytes * 8);
        inside = inside && end_bits <= d.size * 8;
    }
    // Bytes covered: each member's end, holes between them, then the tail.
    std::uint32_t covered_bits = 0;
    for (const auto &m : d.members)
        covered_bits =
            std::max(covered_bits, m.offset_bits + (m.bitfield_bits ? m.bitfield_bits : m.size_bytes * 8));
    bytes = (covered_bits + 7) / 8 + d.tail_padding;
    out.push_back(
        observe(claims[2], increasing && inside, fmt::format("{} members in {} bytes", d.members.size(), d.size)));
    out.push_back(observe(claims[3], bytes == d.size,
                          fmt::format("last member ends at byte {}, tail padding {}: {} of {} bytes",
                                      (covered_bits + 7) / 8, d.tail_padding, bytes, d.size)));
    return out;
}

}  // namespace

Lab lab_04_btf()
{
    return {4, "btf", "BTF: the kernel's types, a function's prototype, a struct's layout", run, check, {}};
}

}  // namespace probectl::lab
