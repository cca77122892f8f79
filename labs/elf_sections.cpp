#include "labs/elf_sections.h"

#include "loader/elf_sections.h"

#include <algorithm>

namespace probectl::lab {

std::vector<ElfSection> elf_sections(const void *bytes, std::size_t size)
{
    std::vector<ElfSection> out;
    for (const auto &section : elf_section_views(bytes, size))
        out.push_back({section.name, section.size});
    return out;
}

bool has_section(const std::vector<ElfSection> &sections, std::string_view name)
{
    return std::ranges::any_of(sections, [&](const ElfSection &s) { return s.name == name; });
}

}  // namespace probectl::lab
