// The running kernel's BTF parsed once for the process, and cut down for each BPF object to the
// types its CO-RE relocations can match.
//
// libbpf parses the kernel's BTF (some 5 MB and 150 000 types) again for every object it loads, and
// searches all of it for each relocation: about 20 ms an object here, 170 ms under emulation, and a
// command that loads every hook type paid it a dozen times. A command that loads many objects holds
// the kernel's BTF, parsed once (hold_kernel_btf()); while it is held, each object gets a BTF of its own
// through bpf_object_open_opts.btf_custom_path (what --btf does with a file): the kernel's types
// that the object's BTF names (by essential name: task_struct___old matches task_struct), with all
// they contain, their member offsets and sizes as they are, except what a pointer points to, which
// becomes void (CO-RE takes any pointer for a pointer; a read through it is a relocation of its own,
// against its own named type). Some 900 types, parsed and searched in well under a millisecond.
//
// Not for type relocations (relocates_fields_only()), nor for modules' types (libbpf looks in
// modules' BTF only without a btf_custom_path; probectl's objects read vmlinux's types). Not for
// tp_btf, fentry, fexit and lsm objects' attach points: libbpf still loads the kernel's
// BTF for those itself (their attach_btf_id), and only their CO-RE relocations use the cut.
#pragma once

#include <bpf/btf.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace probectl {

// The running kernel's BTF (/sys/kernel/btf/vmlinux or where libbpf finds it), parsed when nobody
// holds it yet, freed when the last holder lets go; nullptr when the kernel has none. Thread-safe.
std::shared_ptr<const btf> hold_kernel_btf();

// The kernel's BTF cut for the BPF object in elf (a skeleton's bytes, which live as long as the
// process): a path for btf_custom_path (/proc/self/fd/N, a memfd kept open), made once per object.
// nullopt while nobody holds hold_kernel_btf() (a command that loads one object pays one parse either
// way, and libbpf's is then the only one), or when the object cannot be read: libbpf then uses
// the kernel's whole BTF. Thread-safe.
std::optional<std::string> kernel_btf_cut_for(const void *elf, std::size_t size);

// Whether every CO-RE relocation of the object is one the cut serves: field relocations (offsets,
// sizes, existence, signedness, bitfield shifts) and enum values, whose candidates it holds whole.
// A type relocation (bpf_core_type_exists, _size, _matches, bpf_core_type_id_kernel) would look
// through the pointers the cut made void, or want the kernel's own type ids: such an object, or one
// whose .BTF.ext cannot be read, is given the kernel's whole BTF. Exposed for tests.
bool relocates_fields_only(const void *elf, std::size_t size);
// The same for the contents of a .BTF.ext section; nullopt when they cannot be read.
std::optional<bool> btf_ext_relocates_fields_only(std::string_view btf_ext);

// The cut itself, for a BTF of an object's own types: the kernel's types named by them, with what
// they contain, pointers made void. Exposed for tests.
btf *cut_kernel_btf(const btf &kernel, const btf &object);

}  // namespace probectl
