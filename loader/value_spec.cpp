#include "loader/value_spec.h"

#include "loader/escape.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace probectl {
namespace {

struct OverrideType {
    std::string_view name;
    ValueType type;
    std::uint32_t width;  // bytes of an integer's value; 8 for the rest
};

constexpr std::array<OverrideType, 8> kOverrideTypes{{
    {"int", ValueType::signed_int, 4},
    {"uint", ValueType::unsigned_int, 4},
    {"long", ValueType::signed_int, 8},
    {"ulong", ValueType::unsigned_int, 8},
    {"ptr", ValueType::pointer, 8},
    {"str", ValueType::string, 8},
    {"ustr", ValueType::user_string, 8},
    {"kstr", ValueType::kernel_string, 8},
}};

// "0 dfd, 1 filename, 2 flags": what N and NAME may be.
std::string numbered(const ValueList &values)
{
    std::string text;
    for (size_t i = 0; i < values.fields.size(); i++)
        text += fmt::format("{}{} {}", i ? ", " : "", i, values.fields[i].name);
    return text;
}

std::string quoted(const RawValue &value)
{
    return "\"" + escape_for_terminal(value.text) + "\"" + (value.truncated ? "..." : "");
}

}  // namespace

std::string_view value_type_name(ValueType type)
{
    switch (type) {
    case ValueType::signed_int: return "int";
    case ValueType::unsigned_int: return "uint";
    case ValueType::pointer: return "ptr";
    case ValueType::user_string: return "ustr";
    case ValueType::kernel_string: return "kstr";
    case ValueType::string: return "str";
    case ValueType::chars: return "chars";
    case ValueType::data_loc: return "data_loc";
    case ValueType::rel_loc: return "rel_loc";
    }
    return "?";
}

std::optional<ValueType> value_type_from_name(std::string_view name)
{
    for (auto type :
         {ValueType::signed_int, ValueType::unsigned_int, ValueType::pointer, ValueType::user_string,
          ValueType::kernel_string, ValueType::string, ValueType::chars, ValueType::data_loc, ValueType::rel_loc})
        if (value_type_name(type) == name)
            return type;
    return std::nullopt;
}

bool is_string(ValueType type)
{
    return type != ValueType::signed_int && type != ValueType::unsigned_int && type != ValueType::pointer;
}

std::string ValueList::summary() const
{
    std::string text;
    for (const auto &field : fields) {
        if (!text.empty())
            text += ", ";
        text += fmt::format("{} ({})", field.name, value_type_name(field.type));
    }
    if (ret)
        text += fmt::format("{}the return value ({})", text.empty() ? "" : ", ", value_type_name(ret->type));
    return text.empty() ? "no arguments" : text;
}

Expected<void> apply_value_override(ValueList &values, std::string_view override_text)
{
    const auto usage = [&](std::string what) {
        return fail(ErrorKind::usage, fmt::format("--arg '{}': {}", override_text, what),
                    values.fields.empty()
                        ? std::string("this attach point has no arguments to read")
                        : fmt::format("write --arg N:TYPE or NAME:TYPE, N or NAME one of {}; TYPE one of int, "
                                      "uint, long, ulong, ptr, str, ustr, kstr",
                                      numbered(values)));
    };
    const auto colon = override_text.rfind(':');
    if (colon == std::string_view::npos)
        return usage("no ':' between the argument and its type");
    const std::string_view which = override_text.substr(0, colon);
    const std::string_view type_name = override_text.substr(colon + 1);
    const auto *type = std::ranges::find(kOverrideTypes, type_name, &OverrideType::name);
    if (type == kOverrideTypes.end())
        return usage(fmt::format("'{}' is not a type", type_name));
    std::uint32_t index = 0;
    const auto parsed = std::from_chars(which.data(), which.data() + which.size(), index);
    if (which.empty() || parsed.ec != std::errc() || parsed.ptr != which.data() + which.size()) {
        const auto named = std::ranges::find(values.fields, which, &ValueField::name);
        if (named == values.fields.end())
            return usage(fmt::format("this attach point has no argument '{}'", which));
        index = static_cast<std::uint32_t>(named - values.fields.begin());
    } else if (index >= values.fields.size()) {
        return usage(fmt::format("this attach point has no argument {}", index));
    }
    ValueField &field = values.fields[index];
    if (field.type == ValueType::chars || field.type == ValueType::data_loc || field.type == ValueType::rel_loc)
        return usage(fmt::format("{} is a string inside the tracepoint's record already", field.name));
    field.type = type->type;
    field.width = std::min(type->width, field.size);
    return {};
}

std::int64_t signed_value(std::uint64_t bits, std::uint32_t width)
{
    if (width >= 8 || width == 0)
        return static_cast<std::int64_t>(bits);
    const unsigned shift = 64 - width * 8;
    return static_cast<std::int64_t>(bits << shift) >> shift;
}

std::uint64_t unsigned_value(std::uint64_t bits, std::uint32_t width)
{
    if (width >= 8 || width == 0)
        return bits;
    return bits & ((std::uint64_t{1} << (width * 8)) - 1);
}

std::string value_text(const ValueField &field, const RawValue &value)
{
    if (!value.read)
        return "?";
    switch (field.type) {
    case ValueType::signed_int: return fmt::format("{}", signed_value(value.bits, field.width));
    case ValueType::unsigned_int: return fmt::format("{}", unsigned_value(value.bits, field.width));
    case ValueType::pointer: return value.bits ? fmt::format("{:#x}", value.bits) : "NULL";
    case ValueType::user_string:
    case ValueType::kernel_string:
    case ValueType::string:
        if (!value.bits)
            return "NULL";
        return value.faulted ? fmt::format("<fault at {:#x}>", value.bits) : quoted(value);
    case ValueType::chars:
    case ValueType::data_loc:
    case ValueType::rel_loc: return value.faulted ? "<fault>" : quoted(value);
    }
    return "?";
}

nlohmann::json value_json(const ValueField &field, const RawValue &value)
{
    if (!value.read)
        return nullptr;
    switch (field.type) {
    case ValueType::signed_int: return signed_value(value.bits, field.width);
    case ValueType::unsigned_int: return unsigned_value(value.bits, field.width);
    case ValueType::pointer: return fmt::format("{:#x}", value.bits);
    case ValueType::user_string:
    case ValueType::kernel_string:
    case ValueType::string:
        if (!value.bits)
            return nullptr;
        [[fallthrough]];
    case ValueType::chars:
    case ValueType::data_loc:
    case ValueType::rel_loc: return value.faulted ? nlohmann::json() : nlohmann::json(to_valid_utf8(value.text));
    }
    return nullptr;
}

}  // namespace probectl
