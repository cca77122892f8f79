// Where a generic capture's argument list comes from when it is not BTF (loader/btf_query.h):
// a tracepoint's format file, and a user function's registers. Pure functions of the text they are
// given, so they are tested on formats recorded from other kernels.
#pragma once

#include "loader/error.h"
#include "loader/value_spec.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace probectl {

// A tracepoint's fields from its format file (tracefs events/<category>/<name>/format), read from
// the record: integers, pointers, char arrays, __data_loc and __rel_loc strings. The common_*
// fields and a syscall's __syscall_nr are left out. Char pointers of syscalls:* records point into
// the calling process (user strings); other char pointers are read by their address.
Expected<ValueList> values_from_format(std::string_view format, std::string_view tracepoint);

// A syscall's arguments as its wrapper (ksyscall) sees them: from the same sys_enter_<name>
// format, but by argument number, each a register whose width the field's C type gives.
Expected<ValueList> syscall_values_from_format(std::string_view format, std::string_view syscall);

// x86-64 and arm64 pass the first six (eight on arm64) arguments in registers; a kprobe reads six.
constexpr std::uint32_t kRegisterArgs = 6;

// A user function known only by its ELF symbol: its six argument registers as integers
// (arg0...arg5), or the return register.
ValueList register_values(std::string_view function, bool entry);

// A C integer type by name: the bytes of its value and its sign ("int" 4 signed, "umode_t" 2
// unsigned); nullopt for a name probectl does not know (the format's size and sign are used then).
struct CInteger {
    std::uint32_t width = 8;
    bool is_signed = false;
};
std::optional<CInteger> c_integer(std::string_view type);

}  // namespace probectl
