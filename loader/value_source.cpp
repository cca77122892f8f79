#include "loader/value_source.h"

#include "loader/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>
#include <variant>

#include "probes/event.h"

namespace probectl {
namespace {

// One "field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;" line of a format file.
struct FormatField {
    std::string declaration;  // "const char * filename", "char comm[16]", "__data_loc char[] name"
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    bool is_signed = false;
};

std::optional<std::uint32_t> number_after(std::string_view line, std::string_view key)
{
    const auto at = line.find(key);
    if (at == std::string_view::npos)
        return std::nullopt;
    std::uint32_t value = 0;
    const char *begin = line.data() + at + key.size();
    const auto parsed = std::from_chars(begin, line.data() + line.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr == begin)
        return std::nullopt;
    return value;
}

Expected<std::vector<FormatField>> parse_fields(std::string_view format, std::string_view tracepoint)
{
    std::vector<FormatField> fields;
    for (const auto &raw_line : split(format, '\n')) {
        const std::string line = trim(raw_line);
        if (!line.starts_with("field:"))
            continue;
        const auto semicolon = line.find(';');
        const auto offset = number_after(line, "offset:");
        const auto size = number_after(line, "size:");
        const auto is_signed = number_after(line, "signed:");
        if (semicolon == std::string::npos || !offset || !size)
            return fail(ErrorKind::kernel,
                        fmt::format("{}'s format has a field line probectl cannot read: '{}'", tracepoint, line));
        fields.push_back(
            {trim(std::string_view(line).substr(6, semicolon - 6)), *offset, *size, is_signed.value_or(0) != 0});
    }
    if (fields.empty())
        return fail(ErrorKind::kernel, fmt::format("{}'s format describes no fields", tracepoint));
    return fields;
}

// "const char * filename" -> {"const char *", "filename"}; "char comm[16]" -> {"char[16]", "comm"};
// "__data_loc char[] name" -> {"__data_loc char[]", "name"}.
std::pair<std::string, std::string> split_declaration(std::string_view declaration)
{
    std::string text = trim(declaration);
    std::string array;
    if (text.ends_with(']')) {
        if (const auto bracket = text.rfind('['); bracket != std::string::npos) {
            array = text.substr(bracket);
            text = trim(text.substr(0, bracket));
        }
    }
    size_t start = text.size();
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '_'))
        start--;
    return {trim(text.substr(0, start)) + array, text.substr(start)};
}

// The C type without const, volatile and the dynamic-string markers ("const void *const" is "void *").
std::string base_type(std::string_view type)
{
    std::string text(type);
    for (std::string_view qualified : {"*const", "* const"})  // keep the '*', drop the rest
        for (auto at = text.find(qualified); at != std::string::npos; at = text.find(qualified))
            text.erase(at + 1, qualified.size() - 1);
    std::string out;
    for (const auto &word : split(text, ' ')) {
        if (word.empty() || word == "const" || word == "volatile" || word == "__data_loc" || word == "__rel_loc")
            continue;
        if (!out.empty())
            out += ' ';
        out += word;
    }
    return out;
}

// Text is char's: an array of or pointer to unsigned char or u8 is bytes (a MAC address, a buffer).
bool is_char_type(std::string_view type)
{
    return type == "char";
}

// What a record field is and how it is read; a reason instead when probectl does not read it.
std::variant<ValueField, std::string> record_field(const FormatField &field, bool user_pointers)
{
    auto [type, name] = split_declaration(field.declaration);
    ValueField out(name, type, ValueType::unsigned_int, field.size, field.offset);
    out.size = field.size;
    const bool data_loc = type.starts_with("__data_loc");
    const bool rel_loc = type.starts_with("__rel_loc");
    const std::string base = base_type(type);
    if (data_loc || rel_loc) {
        if (!base.ends_with("[]") || !is_char_type(trim(base.substr(0, base.size() - 2))))
            return fmt::format("{} ({}: a dynamic array)", name, type);
        out.type = data_loc ? ValueType::data_loc : ValueType::rel_loc;
        return out;
    }
    if (base.ends_with("]")) {
        const std::string element = trim(base.substr(0, base.find('[')));
        if (!is_char_type(element))
            return fmt::format("{} ({}: an array)", name, type);
        out.type = ValueType::chars;
        return out;
    }
    if (field.size > 8)
        return fmt::format("{} ({}: {} bytes)", name, type, field.size);
    if (base.ends_with("*")) {
        const std::string pointee = trim(base.substr(0, base.size() - 1));
        out.type = is_char_type(pointee) ? (user_pointers ? ValueType::user_string : ValueType::string)
                                         : ValueType::pointer;
        return out;
    }
    // The C type decides where it is known: a syscall record keeps an int in an unsigned 8-byte slot.
    const auto known = c_integer(base);
    const bool is_signed = known ? known->is_signed : field.is_signed;
    out.type = is_signed ? ValueType::signed_int : ValueType::unsigned_int;
    out.width = std::min(known ? known->width : field.size, field.size);
    return out;
}

bool internal_field(const std::string &declaration)
{
    const std::string name = split_declaration(declaration).second;
    return name.starts_with("common_") || name == "__syscall_nr";
}

// Keeps at most PCTL_VALUES fields; the rest are named as unread.
void add_field(ValueList &list, ValueField field)
{
    if (list.fields.size() < PCTL_VALUES)
        list.fields.push_back(std::move(field));
    else
        list.unread.push_back(fmt::format("{} (probectl reads the first {} arguments)", field.name, PCTL_VALUES));
}

}  // namespace

std::optional<CInteger> c_integer(std::string_view type)
{
    struct Known {
        std::string_view name;
        std::uint32_t width;
        bool is_signed;
    };
    static constexpr std::array<Known, 44> kKnown{{
        {"char", 1, true},
        {"signed char", 1, true},
        {"unsigned char", 1, false},
        {"bool", 1, false},
        {"_Bool", 1, false},
        {"short", 2, true},
        {"unsigned short", 2, false},
        {"short int", 2, true},
        {"int", 4, true},
        {"unsigned int", 4, false},
        {"unsigned", 4, false},
        {"signed int", 4, true},
        {"long", 8, true},
        {"unsigned long", 8, false},
        {"long int", 8, true},
        {"long long", 8, true},
        {"unsigned long long", 8, false},
        {"u8", 1, false},
        {"s8", 1, true},
        {"__u8", 1, false},
        {"__s8", 1, true},
        {"u16", 2, false},
        {"s16", 2, true},
        {"__u16", 2, false},
        {"__s16", 2, true},
        {"u32", 4, false},
        {"s32", 4, true},
        {"__u32", 4, false},
        {"__s32", 4, true},
        {"u64", 8, false},
        {"s64", 8, true},
        {"__u64", 8, false},
        {"__s64", 8, true},
        {"pid_t", 4, true},
        {"uid_t", 4, false},
        {"gid_t", 4, false},
        {"umode_t", 2, false},
        {"size_t", 8, false},
        {"ssize_t", 8, true},
        {"loff_t", 8, true},
        {"key_serial_t", 4, true},
        {"qid_t", 4, false},
        {"clockid_t", 4, true},
        {"off_t", 8, true},
    }};
    const auto *found = std::ranges::find(kKnown, type, &Known::name);
    if (found == kKnown.end())
        return std::nullopt;
    return CInteger{found->width, found->is_signed};
}

Expected<ValueList> values_from_format(std::string_view format, std::string_view tracepoint)
{
    auto fields = parse_fields(format, tracepoint);
    if (!fields)
        return std::unexpected(fields.error());
    ValueList list;
    list.source = fmt::format("the format file of {}", tracepoint);
    const bool user_pointers = tracepoint.starts_with("syscalls:");
    for (const auto &field : *fields) {
        if (internal_field(field.declaration))
            continue;
        auto described = record_field(field, user_pointers);
        if (auto *reason = std::get_if<std::string>(&described))
            list.unread.push_back(std::move(*reason));
        else
            add_field(list, std::get<ValueField>(std::move(described)));
    }
    return list;
}

Expected<ValueList> syscall_values_from_format(std::string_view format, std::string_view syscall)
{
    auto record = values_from_format(format, fmt::format("syscalls:sys_enter_{}", syscall));
    if (!record)
        return record;
    ValueList list;
    list.source = fmt::format("the format file of syscalls:sys_enter_{}", syscall);
    std::uint32_t index = 0;
    for (auto field : record->fields) {
        // A string the record holds itself (7.x copies a syscall's path into __filename_val) is no
        // register of the syscall's.
        if (field.type == ValueType::chars || field.type == ValueType::data_loc ||
            field.type == ValueType::rel_loc)
            continue;
        field.where = index++;
        field.size = 8;  // a register
        list.fields.push_back(std::move(field));
    }
    list.unread = std::move(record->unread);
    return list;
}

ValueList register_values(std::string_view function, bool entry)
{
    ValueList list;
    list.source = fmt::format("the registers at {} (an ELF symbol has no types)", function);
    if (!entry) {
        list.ret = ValueField("ret", "register", ValueType::signed_int, 8, 0);
        return list;
    }
    for (std::uint32_t i = 0; i < kRegisterArgs; i++)
        list.fields.emplace_back(fmt::format("arg{}", i), "register", ValueType::unsigned_int, 8, i);
    return list;
}

}  // namespace probectl
