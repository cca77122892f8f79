#include "labs/elf_sections.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>

namespace probectl::lab {

std::vector<ElfSection> elf_sections(const void *bytes, std::size_t size)
{
    std::vector<ElfSection> out;
    elf_version(EV_CURRENT);
    Elf *elf = elf_memory(static_cast<char *>(const_cast<void *>(bytes)), size);
    std::size_t names = 0;
    if (elf && elf_getshdrstrndx(elf, &names) == 0)
        for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
            GElf_Shdr header;
            if (!gelf_getshdr(scn, &header))
                continue;
            const char *name = elf_strptr(elf, names, header.sh_name);
            out.push_back({name ? name : "?", static_cast<std::size_t>(header.sh_size)});
        }
    if (elf)
        elf_end(elf);
    return out;
}

bool has_section(const std::vector<ElfSection> &sections, std::string_view name)
{
    return std::ranges::any_of(sections, [&](const ElfSection &s) { return s.name == name; });
}

}  // namespace probectl::lab
