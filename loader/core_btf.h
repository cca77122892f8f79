// The BTF that CO-RE relocations are resolved against. By default libbpf finds the running
// kernel's (/sys/kernel/btf/vmlinux, then vmlinux files under /boot and /lib/modules); a kernel
// built without CONFIG_DEBUG_INFO_BTF has none, and `--btf FILE` supplies one: a vmlinux or raw
// BTF file of that kernel, or a minimal one from `bpftool gen min_core_btf`.
// It replaces the kernel's BTF for CO-RE only: fentry, fexit and tp_btf attach by the kernel's own
// BTF ids, which no file can stand in for.
#pragma once

#include "loader/error.h"

#include <bpf/libbpf.h>

#include <cstddef>
#include <string>
#include <vector>

namespace probectl {

// Checks that the file parses as BTF, then makes every BPF object probectl opens use it.
Expected<void> use_core_btf(const std::string &path);

// Back to the kernel's own BTF.
void use_kernel_btf();

// The file given to use_core_btf(), or empty: the kernel's own.
[[nodiscard]] const std::string &core_btf_path();

// Open options for bpf_object__open / <skeleton>__open carrying that choice.
[[nodiscard]] const bpf_object_open_opts *object_open_options();
// The same for the object in elf (a skeleton's bytes), which without --btf takes the kernel's BTF
// cut down for it while a command holds the kernel's BTF (hold_kernel_btf(), loader/kernel_btf.h).
// Valid until the calling thread asks again.
[[nodiscard]] const bpf_object_open_opts *object_open_options(const void *elf, std::size_t size);

// Where libbpf looks for the kernel's BTF when no file is given, in its order, for this kernel.
[[nodiscard]] std::vector<std::string> kernel_btf_locations();

}  // namespace probectl
