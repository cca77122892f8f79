// What a generic capture reads at an attach point: each argument's name, C type and how it is read,
// taken from the kernel's own description (BTF, a tracepoint's format file), and how the values an
// event carries are shown. Plain data: described in loader/value_source.h, read by probes/args.bpf.h.
#pragma once

#include "loader/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace probectl {

// How a value is read and shown.
enum class ValueType {
    signed_int,     // decimal, sign-extended from its width
    unsigned_int,   // decimal
    pointer,        // hex; 0 as NULL
    user_string,    // a char pointer into the process's memory: the user-read helper
    kernel_string,  // a char pointer into kernel memory: the kernel-read helper
    string,         // a char pointer whose memory the description does not say: read by its address
    chars,          // tracepoint: a char array inside the record
    data_loc,       // tracepoint: __data_loc char[]: a string stored after the record's fields
    rel_loc,        // tracepoint: __rel_loc char[] (6.0+): the same, found relative to the field
};

std::string_view value_type_name(ValueType type);                      // "int", "ustr", ...
std::optional<ValueType> value_type_from_name(std::string_view name);  // its inverse
bool is_string(ValueType type);

struct ValueField {
    ValueField() = default;
    ValueField(std::string field_name, std::string type_text, ValueType value_type, std::uint32_t value_width,
               std::uint32_t index)
        : name(std::move(field_name)), c_type(std::move(type_text)), type(value_type), width(value_width),
          where(index)
    {
    }

    std::string name;    // "filename"
    std::string c_type;  // "const char *", as the description spells it
    ValueType type = ValueType::unsigned_int;
    std::uint32_t size = 8;   // bytes read: a register or slot is 8; a char array's length
    std::uint32_t width = 8;  // bytes that hold the value: 4 for an int in an 8-byte slot
    std::uint32_t where = 0;  // the argument's index, or its byte offset in a tracepoint record
};

struct ValueList {
    std::string source;               // "BTF FUNC_PROTO of vfs_read", "tracefs format of sched:sched_switch"
    std::vector<ValueField> fields;   // what each event reads, in order
    std::optional<ValueField> ret;    // the return value, for a hook that sees it
    std::vector<std::string> unread;  // described but not read, each with why: "buf (a struct by value)"

    // "filename (ustr), flags (int), mode (uint)", "the return value (int)"; "no arguments"
    [[nodiscard]] std::string summary() const;
};

// One argument as an event carries it: the raw bits, and for strings the bytes read.
struct RawValue {
    std::uint64_t bits = 0;
    std::string text;
    bool read = false;     // the hook read it (false: the event has no value for it)
    bool faulted = false;  // the string read faulted at the address in bits
    bool truncated = false;
};

// A user's --arg N:TYPE or NAME:TYPE: read argument N (from 0, as attach's "decoding" line lists
// them) or the one named NAME as TYPE: int, uint (32 bits), long, ulong (64), ptr, str, ustr, kstr.
// Fails with ErrorKind::usage on a malformed override or an argument the attach point does not have,
// the hint listing those it has.
Expected<void> apply_value_override(ValueList &values, std::string_view override_text);

// "flags=0x8000" style text of one value; null pointers as NULL, faults as <fault at 0x...>.
std::string value_text(const ValueField &field, const RawValue &value);
// The typed JSON value: a number, a string, or null (not read, null pointer, fault).
nlohmann::json value_json(const ValueField &field, const RawValue &value);
// An integer's bits as the field's type says: truncated to its width, sign-extended if signed.
std::int64_t signed_value(std::uint64_t bits, std::uint32_t width);
std::uint64_t unsigned_value(std::uint64_t bits, std::uint32_t width);

}  // namespace probectl
