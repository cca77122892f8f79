#include "loader/btf_query.h"

#include "loader/spelling.h"
#include "loader/text.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdio>

#include "probes/event.h"

namespace probectl {
namespace {

// What a btf_dump writes, up to a limit: a malformed BTF can make a type's text as long as the
// fuzzer likes, and formatting it would then take seconds. Past the limit the pieces are dropped
// unformatted and the text says it was cut.
struct Sink {
    std::string text;
    std::size_t limit = 0;
    bool cut = false;
};

void append_printf(void *context, const char *format, va_list args)
{
    auto *sink = static_cast<Sink *>(context);
    if (sink->text.size() >= sink->limit) {
        sink->cut = true;
        return;
    }
    sink->text += format_va(format, args);
}

// A btf_dump writing into a string.
class CWriter {
public:
    // A definition (probectl btf task_struct) is tens of kilobytes; a parameter's type, a line.
    static constexpr std::size_t kDefinitionLimit = 1 << 20;
    static constexpr std::size_t kDeclarationLimit = 512;

    explicit CWriter(const struct btf *btf)
        : dump_(btf_dump__new(btf, append_printf, &sink_, nullptr), btf_dump__free)
    {
    }
    [[nodiscard]] bool ok() const { return dump_ != nullptr; }
    std::string definition(std::uint32_t id)
    {
        start(kDefinitionLimit);
        btf_dump__dump_type(dump_.get(), id);
        return finish();
    }
    std::string declaration(std::uint32_t id, const char *name)
    {
        start(kDeclarationLimit);
        btf_dump_emit_type_decl_opts options{};
        options.sz = sizeof(options);
        options.field_name = name;
        btf_dump__emit_type_decl(dump_.get(), id, &options);
        return finish();
    }

private:
    void start(std::size_t limit)
    {
        sink_.text.clear();
        sink_.limit = limit;
        sink_.cut = false;
    }
    std::string finish()
    {
        if (sink_.cut)
            sink_.text += fmt::format(" /* cut at {} characters */", sink_.limit);
        return sink_.text;
    }

    Sink sink_;
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

// What a parameter's BTF type says about reading it, or why probectl does not.
struct ParamType {
    ValueType type = ValueType::unsigned_int;
    std::uint32_t width = 8;
    std::string unread;  // non-empty: not read, and why
};

ParamType readable(ValueType type, std::uint32_t width = 8)
{
    ParamType out;
    out.type = type;
    out.width = width;
    return out;
}

ParamType not_read(std::string why)
{
    ParamType out;
    out.unread = std::move(why);
    return out;
}

// Whether the declaration of a type ends: the chain of pointers, modifiers, arrays, prototypes and
// anonymous structs that libbpf's C writer follows (recursively) reaches named types within a bound.
// A kernel's BTF always does; a file given with --file, or a fuzzer's, may loop.
bool declaration_ends(const struct btf *btf, std::uint32_t id, int depth = 0)
{
    constexpr int kMaxDepth = 32;
    if (id == 0)
        return true;
    const struct btf_type *type = btf__type_by_id(btf, id);
    if (!type || depth > kMaxDepth)
        return false;
    if (btf_is_ptr(type) || btf_is_mod(type) || btf_is_type_tag(type) || btf_is_typedef(type))
        return btf_is_typedef(type) && type->name_off ? true : declaration_ends(btf, type->type, depth + 1);
    if (btf_is_array(type))
        return declaration_ends(btf, btf_array(type)->type, depth + 1);
    if (btf_is_func_proto(type)) {
        for (unsigned i = 0; i < btf_vlen(type); i++)
            if (!declaration_ends(btf, btf_params(type)[i].type, depth + 1))
                return false;
        return declaration_ends(btf, type->type, depth + 1);
    }
    if (btf_is_composite(type) && !type->name_off)
        for (unsigned i = 0; i < btf_vlen(type); i++)
            if (!declaration_ends(btf, btf_members(type)[i].type, depth + 1))
                return false;
    return true;
}

// Skips const, volatile, restrict, typedefs and type tags; notes a __user tag on the way.
const struct btf_type *strip(const struct btf *btf, std::uint32_t &id, bool &user)
{
    const struct btf_type *type = btf__type_by_id(btf, id);
    for (int step = 0; type && (btf_is_mod(type) || btf_is_typedef(type) || btf_is_type_tag(type)); step++) {
        if (step > 32)  // a loop in malformed BTF: nothing at the end
            return nullptr;
        if (btf_is_type_tag(type) && std::string_view(btf__name_by_offset(btf, type->name_off)) == "user")
            user = true;
        id = type->type;
        type = btf__type_by_id(btf, id);
    }
    return type;
}

ParamType param_type(const struct btf *btf, std::uint32_t id)
{
    bool user = false;
    const struct btf_type *type = strip(btf, id, user);
    if (id == 0 || !type)
        return not_read("void");
    if ((btf_is_int(type) || btf_is_any_enum(type)) && (type->size > 8 || type->size == 0))
        return not_read(fmt::format("a {}-byte integer, wider than a register", type->size));
    if (btf_is_int(type)) {
        const bool is_signed = btf_int_encoding(type) & BTF_INT_SIGNED;
        return readable(is_signed ? ValueType::signed_int : ValueType::unsigned_int, type->size);
    }
    if (btf_is_any_enum(type))
        return readable(ValueType::signed_int, type->size);
    if (btf_is_ptr(type)) {
        std::uint32_t pointee_id = type->type;
        const struct btf_type *pointee = strip(btf, pointee_id, user);
        // Text is char's: a pointer to another byte type (u8, unsigned char, bool) is a buffer.
        const bool is_char = pointee_id != 0 && pointee && btf_is_int(pointee) && pointee->size == 1 &&
                             std::string_view(btf__name_by_offset(btf, pointee->name_off)) == "char";
        if (!is_char)
            return readable(ValueType::pointer);
        return readable(user ? ValueType::user_string : ValueType::string);
    }
    if (btf_is_composite(type))
        return not_read("a struct or union passed by value");
    if (btf_is_float(type))
        return not_read("a floating-point value");
    return not_read("a type probectl does not read");
}

// The parameters of a FUNC_PROTO from the first-th on.
// names: a prototype of the same parameters whose names are used (a typedef's have none).
ValueList proto_values(const struct btf *btf, const struct btf_type *proto, std::uint32_t first,
                       std::uint32_t max_args, CWriter &writer, const struct btf_type *names = nullptr)
{
    ValueList list;
    const struct btf_param *param = btf_params(proto);
    const struct btf_param *named = names && btf_vlen(names) == btf_vlen(proto) ? btf_params(names) : param;
    std::string stopped;  // once set, the rest of the arguments cannot be located either
    for (std::uint32_t i = 0; i < btf_vlen(proto); i++, param++, named++) {
        if (i < first || param->type == 0)  // the leading ones asked to skip; a trailing "..."
            continue;
        std::string name = btf__name_by_offset(btf, named->name_off);
        if (name.empty())
            name = fmt::format("arg{}", i - first);
        const std::string c_type = trim(writer.declaration(param->type, ""));
        if (!stopped.empty()) {
            list.unread.push_back(fmt::format("{} ({}: {})", name, c_type, stopped));
            continue;
        }
        const ParamType how = param_type(btf, param->type);
        if (!how.unread.empty()) {
            list.unread.push_back(fmt::format("{} ({}: {})", name, c_type, how.unread));
            stopped = "after " + name + ", which is not read";
            continue;
        }
        if (list.fields.size() >= max_args) {
            list.unread.push_back(
                fmt::format("{} ({}: beyond the {} arguments this hook reads)", name, c_type, max_args));
            continue;
        }
        list.fields.emplace_back(name, c_type, how.type, how.width,
                                 static_cast<std::uint32_t>(list.fields.size()));
    }
    return list;
}

// The typedef's parameters are unnamed. The tracepoint's static-call iterator (__traceiter_<name>,
// 5.10 and later) names them, and its BPF entry (__bpf_trace_<name>, for an event not of a class):
// a function of the same number of parameters, found in BTF by name.
const struct btf_type *naming_prototype(const struct btf *btf, const struct btf_type *proto,
                                        const std::string &tracepoint)
{
    for (const std::string prefix : {"__traceiter_", "__bpf_trace_"}) {
        const int id = btf__find_by_name_kind(btf, (prefix + tracepoint).c_str(), BTF_KIND_FUNC);
        const struct btf_type *named = id > 0 ? btf__type_by_id(btf, btf__type_by_id(btf, id)->type) : nullptr;
        if (named && btf_is_func_proto(named) && btf_vlen(named) == btf_vlen(proto))
            return named;
    }
    return nullptr;
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
        const int err = errno;
        // libbpf's own code for a file it cannot parse (LIBBPF_ERRNO__FORMAT) is no errno
        const std::string why = err == LIBBPF_ERRNO__FORMAT
                                    ? "it is neither raw BTF nor an ELF file with a .BTF section"
                                    : errno_text(err);
        return fail(ErrorKind::usage, fmt::format("no BTF can be read from {}: {}", path, why),
                    "--file takes raw BTF (/sys/kernel/btf/vmlinux) or an ELF object built with -g (a .bpf.o)",
                    err == LIBBPF_ERRNO__FORMAT ? 0 : err);
    }
    return BtfFile(btf);
}

Expected<BtfFile> BtfFile::from_bytes(std::span<const std::byte> bytes)
{
    struct btf *btf = btf__new(bytes.data(), static_cast<__u32>(bytes.size()));
    if (!btf) {
        int err = errno;
        return fail(ErrorKind::bad_file, "the bytes are not raw BTF: " + errno_text(err), "", err);
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
    if (id <= 0) {
        NearestNames nearest(name);
        for (__u32 other = 1; other < btf__type_cnt(btf); other++) {
            const struct btf_type *type = btf__type_by_id(btf, other);
            if (std::ranges::find(kinds, static_cast<int>(btf_kind(type))) != kinds.end())
                nearest.offer(btf__name_by_offset(btf, type->name_off));
        }
        return fail(ErrorKind::target_not_found,
                    fmt::format("no struct, union, typedef, enum or function named '{}' in BTF", name),
                    did_you_mean(nearest.best()) + "names are without 'struct ': e.g. probectl btf linux_binprm",
                    ENOENT);
    }

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

Expected<ValueList> BtfFile::function_values(const std::string &function, std::uint32_t max_args,
                                             bool with_return) const
{
    const struct btf *btf = btf_.get();
    const int id = btf__find_by_name_kind(btf, function.c_str(), BTF_KIND_FUNC);
    if (id <= 0)
        return fail(ErrorKind::target_untraceable, fmt::format("the kernel's BTF does not describe {}", function),
                    "a compiler clone (.isra, .constprop) or an inlined function has no prototype in BTF", ENOENT);
    CWriter writer(btf);
    if (!writer.ok())
        return fail(ErrorKind::internal, "libbpf could not set up a BTF dump", "", errno);
    const __u32 proto_id = btf__type_by_id(btf, static_cast<__u32>(id))->type;
    const struct btf_type *proto = btf__type_by_id(btf, proto_id);
    if (!proto || !btf_is_func_proto(proto) || !declaration_ends(btf, proto_id))
        return fail(ErrorKind::bad_file,
                    fmt::format("the BTF of {} is malformed: its prototype does not end", function));
    ValueList list = proto_values(btf, proto, 0, max_args, writer);
    list.source = fmt::format("the BTF prototype of {}", function);
    if (with_return && proto->type != 0) {
        const ParamType how = param_type(btf, proto->type);
        if (how.unread.empty())
            // a returned char pointer is shown as an address: it is not read
            list.ret = ValueField("ret", trim(writer.declaration(proto->type, "")),
                                  is_string(how.type) ? ValueType::pointer : how.type, how.width, 0);
    }
    return list;
}

Expected<ValueList> BtfFile::tracepoint_values(const std::string &tracepoint) const
{
    const struct btf *btf = btf_.get();
    const std::string typedef_name = "btf_trace_" + tracepoint;
    const int id = btf__find_by_name_kind(btf, typedef_name.c_str(), BTF_KIND_TYPEDEF);
    const struct btf_type *pointer = id > 0 ? btf__type_by_id(btf, btf__type_by_id(btf, id)->type) : nullptr;
    const struct btf_type *proto = pointer && btf_is_ptr(pointer) ? btf__type_by_id(btf, pointer->type) : nullptr;
    if (!proto || !btf_is_func_proto(proto))
        return fail(
            ErrorKind::target_not_found,
            fmt::format("the kernel's BTF has no {} typedef for raw tracepoint {}", typedef_name, tracepoint),
            "a raw tracepoint is named without its category: sched_switch, not sched:sched_switch", ENOENT);
    if (!declaration_ends(btf, pointer->type))
        return fail(ErrorKind::bad_file,
                    fmt::format("the BTF of {} is malformed: its prototype does not end", typedef_name));
    CWriter writer(btf);
    if (!writer.ok())
        return fail(ErrorKind::internal, "libbpf could not set up a BTF dump", "", errno);
    ValueList list = proto_values(btf, proto, 1, PCTL_VALUES, writer, naming_prototype(btf, proto, tracepoint));
    list.source = fmt::format("the BTF typedef {}", typedef_name);
    return list;
}

}  // namespace probectl
