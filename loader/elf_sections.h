// The sections of ELF bytes in memory (a skeleton's elf_bytes()): their names, sizes and contents,
// for what libbpf's API does not show of an object (its CO-RE relocations, loader/kernel_btf.h; the
// labs' anatomy of an object).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace probectl {

struct ElfSectionView {
    std::string name;
    std::size_t size = 0;
    std::string_view data;  // into the bytes given; empty for a section with no contents (NOBITS)
};

// In file order; empty when the bytes are not ELF.
std::vector<ElfSectionView> elf_section_views(const void *bytes, std::size_t size);

}  // namespace probectl
