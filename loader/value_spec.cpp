#include "loader/value_spec.h"

#include "loader/escape.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <utility>

namespace probectl {
namespace {

constexpr std::array<std::pair<std::string_view, ValueType>, 6> kOverrideTypes{{
    {"int", ValueType::signed_int},
    {"uint", ValueType::unsigned_int},
    {"ptr", ValueType::pointer},
    {"str", ValueType::string},
    {"ustr", ValueType::user_string},
    {"kstr", ValueType::kernel_string},
}};

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
                    "write --arg N:TYPE, N from 0 as `probectl explain` lists the arguments, TYPE one of int, "
                    "uint, ptr, str, ustr, kstr (e.g. --arg 0:str)");
    };
    const auto colon = override_text.find(':');
    if (colon == std::string_view::npos)
        return usage("no ':' between the argument's number and its type");
    const std::string_view number = override_text.substr(0, colon);
    const std::string_view type_name = override_text.substr(colon + 1);
    std::uint32_t index = 0;
    const auto parsed = std::from_chars(number.data(), number.data() + number.size(), index);
    if (number.empty() || parsed.ec != std::errc() || parsed.ptr != number.data() + number.size())
        return usage(fmt::format("'{}' is not an argument number", number));
    const auto *type =
        std::ranges::find(kOverrideTypes, type_name, &std::pair<std::string_view, ValueType>::first);
    if (type == kOverrideTypes.end())
        return usage(fmt::format("'{}' is not a type", type_name));
    if (index >= values.fields.size())
        return usage(values.fields.empty()
                         ? std::string("this attach point has no arguments to read")
                         : fmt::format("this attach point's arguments are 0 to {}", values.fields.size() - 1));
    ValueField &field = values.fields[index];
    if (field.type == ValueType::chars || field.type == ValueType::data_loc || field.type == ValueType::rel_loc)
        return usage(fmt::format("{} is a string inside the tracepoint's record already", field.name));
    field.type = type->second;
    if (!is_string(field.type) && field.width > field.size)
        field.width = field.size;
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
