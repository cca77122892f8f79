#include "loader/elf_sections.h"

#include <gelf.h>
#include <libelf.h>

namespace probectl {

std::vector<ElfSectionView> elf_section_views(const void *bytes, std::size_t size)
{
    std::vector<ElfSectionView> out;
    elf_version(EV_CURRENT);
    // read only: libelf converts nothing for an object of the machine's own byte order, as libbpf opens it
    Elf *elf = elf_memory(static_cast<char *>(const_cast<void *>(bytes)), size);
    std::size_t names = 0;
    if (elf && elf_getshdrstrndx(elf, &names) == 0)
        for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
            GElf_Shdr header;
            if (!gelf_getshdr(scn, &header))
                continue;
            const char *name = elf_strptr(elf, names, header.sh_name);
            ElfSectionView view{name ? name : "?", static_cast<std::size_t>(header.sh_size), {}};
            if (const Elf_Data *data = elf_getdata(scn, nullptr); data && data->d_buf)
                view.data = std::string_view(static_cast<const char *>(data->d_buf), data->d_size);
            out.push_back(std::move(view));
        }
    if (elf)
        elf_end(elf);
    return out;
}

}  // namespace probectl
