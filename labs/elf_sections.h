// The sections of a BPF object's ELF bytes (a skeleton's elf_bytes()), for the labs that show what
// clang wrote: lab 15 (an object's anatomy), lab 17 (an object built without -g).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace probectl::lab {

struct ElfSection {
    std::string name;
    std::size_t size = 0;
};

// In file order; empty when the bytes are not ELF.
std::vector<ElfSection> elf_sections(const void *bytes, std::size_t size);

bool has_section(const std::vector<ElfSection> &sections, std::string_view name);

}  // namespace probectl::lab
