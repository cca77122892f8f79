// Reading kernel types from BTF: one type as C (with what it needs), a function's prototype, and
// a struct's layout (offsets, sizes, holes).
#pragma once

#include "loader/error.h"
#include "loader/value_spec.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct btf;

namespace probectl {

struct BtfMember {
    std::string name;  // "" for an anonymous member
    std::string type;  // as C: "struct file *", "unsigned int"
    std::uint32_t offset_bits = 0;
    std::uint32_t size_bytes = 0;
    std::uint32_t bitfield_bits = 0;  // 0: not a bitfield
    std::uint32_t hole_before = 0;    // padding bytes between the previous member and this one
};

struct BtfDefinition {
    std::string name;
    std::string kind;  // "struct", "union", "enum", "typedef", "func"
    std::uint32_t id = 0;
    std::uint32_t size = 0;          // bytes (0 for func)
    std::string c;                   // the definition as C, with the types it needs before it
    std::vector<BtfMember> members;  // struct/union only
    std::uint32_t tail_padding = 0;  // struct: bytes after the last member
    int params = -1;                 // func: number of parameters
};

// Owns a parsed BTF: the running kernel's, or any file libbpf can read (vmlinux, an ELF .o).
class BtfFile {
public:
    static Expected<BtfFile> kernel();
    static Expected<BtfFile> parse(const std::string &path);
    // Raw BTF in memory (a .BTF section's bytes, a file probectl_btf_subset wrote).
    static Expected<BtfFile> from_bytes(std::span<const std::byte> bytes);

    // By name: a struct or union first, then typedef, enum, function. ErrorKind::target_not_found
    // with a hint when nothing has that name.
    Expected<BtfDefinition> describe(const std::string &name) const;

    // A function's arguments from its FUNC_PROTO, as a generic capture reads them: at most max_args
    // (a kprobe has six registers), stopping at a struct passed by value; with return, its return
    // type too. A char pointer tagged __user is a user string; an untagged one is read by address.
    Expected<ValueList> function_values(const std::string &function, std::uint32_t max_args,
                                        bool with_return) const;
    // A raw tracepoint's arguments from its btf_trace_<name> typedef (the probe's data pointer, the
    // first parameter, left out), named by __traceiter_<name> or __bpf_trace_<name>.
    Expected<ValueList> tracepoint_values(const std::string &tracepoint) const;

private:
    explicit BtfFile(struct btf *btf);
    std::shared_ptr<struct btf> btf_;
};

}  // namespace probectl
