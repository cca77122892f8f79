#include "loader/btf_query.h"

#include "loader/text.h"

#include <bpf/btf.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>

namespace probectl {
namespace {

void append_printf(void *context, const char *format, va_list args)
{
    *static_cast<std::string *>(context) += format_va(format, args);
}

// A btf_dump writing into a string.
class CWriter {
public:
    explicit CWriter(const struct btf *btf)
        : dump_(btf_dump__new(btf, append_printf, &text_, nullptr), btf_dump__free)
    {
    }
    [[nodiscard]] bool ok() const { return dump_ != nullptr; }
    std::string definition(std::uint32_t id)
    {
        text_.clear();
        btf_dump__dump_type(dump_.get(), id);
        return text_;
    }
    std::string declaration(std::uint32_t id, const char *name)
    {
        text_.clear();
        btf_dump_emit_type_decl_opts options{};
        options.sz = sizeof(options);
        options.field_name = name;
        btf_dump__emit_type_decl(dump_.get(), id, &options);
        return text_;
    }

private:
    std::string text_;
    std::unique_ptr<struct btf_dump, void (*)(struct btf_dump *)> dump_;
};

std::uint32_t type_size(const struct btf *btf, std::uint32_t id)
{
    const long long size = btf__resolve_size(btf, id);
    return size > 0 ? static_cast<std::uint32_t>(size) : 0;
}

void describe_members(const struct btf *btf, const struct btf_type *type, CWriter &writer, BtfDefinition &out)
{
    const bool is_struct = btf_is_struct(type);
    const struct btf_member *member = btf_members(type);
    std::uint32_t end_bits = 0;
    for (unsigned i = 0; i < btf_vlen(type); i++, member++) {
        BtfMember m;
        m.name = btf__name_by_offset(btf, member->name_off);
        m.type = writer.declaration(member->type, "");
        m.offset_bits = btf_member_bit_offset(type, i);
        m.bitfield_bits = btf_member_bitfield_size(type, i);
        m.size_bytes = type_size(btf, member->type);
        if (is_struct && m.bitfield_bits == 0 && m.offset_bits > end_bits)
            m.hole_before = (m.offset_bits - end_bits) / 8;
        const std::uint32_t member_end = m.offset_bits + (m.bitfield_bits ? m.bitfield_bits : m.size_bytes * 8);
        end_bits = is_struct ? std::max(end_bits, member_end) : 0;
        out.members.push_back(std::move(m));
    }
    if (is_struct && out.size * 8 > end_bits)
        out.tail_padding = (out.size * 8 - end_bits) / 8;
}

std::string function_prototype(const struct btf *btf, const struct btf_type *func, CWriter &writer, int &params)
{
    const struct btf_type *proto = btf__type_by_id(btf, func->type);
    const std::string name = btf__name_by_offset(btf, func->name_off);
    std::string text = writer.declaration(proto->type, name.c_str()) + "(";
    const struct btf_param *param = btf_params(proto);
    params = btf_vlen(proto);
    for (int i = 0; i < params; i++, param++) {
        if (i > 0)
            text += ", ";
        if (param->type == 0) {  // a trailing "..."
            text += "...";
            params--;
            continue;
        }
        text += writer.declaration(param->type, btf__name_by_offset(btf, param->name_off));
    }
    if (params == 0 && btf_vlen(proto) == 0)
        text += "void";
    return text + ");\n";
}

}  // namespace

BtfFile::BtfFile(struct btf *btf) : btf_(btf, btf__free) {}

Expected<BtfFile> BtfFile::kernel()
{
    struct btf *btf = btf__load_vmlinux_btf();
    if (!btf) {
        int err = errno;
        return fail(ErrorKind::unsupported, "the kernel's BTF cannot be read: " + errno_text(err),
                    "the kernel needs CONFIG_DEBUG_INFO_BTF (/sys/kernel/btf/vmlinux)", err);
    }
    return BtfFile(btf);
}

Expected<BtfFile> BtfFile::parse(const std::string &path)
{
    struct btf *btf = btf__parse(path.c_str(), nullptr);
    if (!btf) {
        int err = errno;
        return fail(ErrorKind::usage, fmt::format("no BTF can be read from {}: {}", path, errno_text(err)), "",
                    err);
    }
    return BtfFile(btf);
}

Expected<BtfDefinition> BtfFile::describe(const std::string &name) const
{
    const struct btf *btf = btf_.get();
    int id = -1;
    // BTF_KIND_ENUM64 is a macro in libbpf's header: the list needs its element type spelled out.
    const std::initializer_list<int> kinds{BTF_KIND_STRUCT, BTF_KIND_UNION,  BTF_KIND_TYPEDEF,
                                           BTF_KIND_ENUM,   BTF_KIND_ENUM64, BTF_KIND_FUNC};
    for (int kind : kinds) {
        id = btf__find_by_name_kind(btf, name.c_str(), static_cast<__u32>(kind));
        if (id > 0)
            break;
    }
    if (id <= 0)
        return fail(ErrorKind::target_not_found,
                    fmt::format("no struct, union, typedef, enum or function named '{}' in BTF", name),
                    "names are without 'struct ': e.g. probectl btf linux_binprm", ENOENT);

    CWriter writer(btf);
    if (!writer.ok())
        return fail(ErrorKind::internal, "libbpf could not set up a BTF dump", "", errno);
    const struct btf_type *type = btf__type_by_id(btf, static_cast<__u32>(id));
    BtfDefinition out;
    out.name = name;
    out.id = static_cast<std::uint32_t>(id);
    if (btf_is_func(type)) {
        out.kind = "func";
        out.c = function_prototype(btf, type, writer, out.params);
        return out;
    }
    out.kind = btf_is_struct(type)    ? "struct"
               : btf_is_union(type)   ? "union"
               : btf_is_typedef(type) ? "typedef"
                                      : "enum";
    out.size = type_size(btf, out.id);
    out.c = writer.definition(out.id);
    if (btf_is_composite(type))
        describe_members(btf, type, writer, out);
    return out;
}

}  // namespace probectl
