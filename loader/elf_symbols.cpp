#include "loader/elf_symbols.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

namespace probectl {
namespace {

namespace fs = std::filesystem;

struct FdCloser {
    int fd;
    ~FdCloser()
    {
        if (fd >= 0)
            close(fd);
    }
};

struct ElfCloser {
    void operator()(Elf *elf) const { elf_end(elf); }
};

// A function (or an IFUNC resolver) this file defines, not one it imports.
bool is_defined_function(const GElf_Sym &sym)
{
    const int type = GELF_ST_TYPE(sym.st_info);
    return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym.st_shndx != SHN_UNDEF && sym.st_value != 0;
}

std::optional<ElfSymbol> search_table(Elf *elf, Elf_Scn *table, const GElf_Shdr &table_header,
                                      const std::string &symbol)
{
    Elf_Data *data = elf_getdata(table, nullptr);
    if (!data || table_header.sh_entsize == 0)
        return std::nullopt;
    const size_t count = table_header.sh_size / table_header.sh_entsize;
    for (size_t i = 0; i < count; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, static_cast<int>(i), &sym))
            continue;
        if (!is_defined_function(sym))
            continue;
        const char *name = elf_strptr(elf, table_header.sh_link, sym.st_name);
        if (!name || symbol != name)
            continue;
        // The file offset: where the containing section lies in the file, plus the symbol's place in it.
        Elf_Scn *section = elf_getscn(elf, sym.st_shndx);
        GElf_Shdr section_header;
        if (!section || !gelf_getshdr(section, &section_header))
            continue;
        ElfSymbol found;
        found.name = symbol;
        found.address = sym.st_value;
        found.file_offset = sym.st_value - section_header.sh_addr + section_header.sh_offset;
        found.size = sym.st_size;
        found.from_dynsym = table_header.sh_type == SHT_DYNSYM;
        found.ifunc = GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC;
        return found;
    }
    return std::nullopt;
}

// Whether the dynamic symbol table names the symbol as undefined: an import, reached through the PLT.
bool imports_symbol(Elf *elf, const std::string &symbol)
{
    for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr header;
        if (!gelf_getshdr(scn, &header) || header.sh_type != SHT_DYNSYM || header.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, nullptr);
        for (size_t i = 0; data && i < header.sh_size / header.sh_entsize; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, static_cast<int>(i), &sym) || sym.st_shndx != SHN_UNDEF)
                continue;
            const char *name = elf_strptr(elf, header.sh_link, sym.st_name);
            if (name && symbol == name)
                return true;
        }
    }
    return false;
}

std::vector<std::string> library_dirs()
{
    return {"/lib/x86_64-linux-gnu",
            "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu",
            "/lib64",
            "/usr/lib64",
            "/lib",
            "/usr/lib",
            "/usr/local/lib"};
}

std::vector<std::string> path_dirs()
{
    std::vector<std::string> dirs;
    const char *path = std::getenv("PATH");
    std::istringstream in(path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    std::string dir;
    while (std::getline(in, dir, ':'))
        if (!dir.empty())
            dirs.push_back(dir);
    return dirs;
}

std::optional<std::string> our_libc()
{
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&execve), &info) && info.dli_fname)
        return fs::canonical(info.dli_fname).string();
    return std::nullopt;
}

}  // namespace

namespace {

// A path given by the user: followed to the file it names now, which must be a regular file.
Expected<std::string> resolve_binary_path(const std::string &name)
{
    std::error_code ec;
    const auto link = fs::symlink_status(name, ec);
    if (!fs::exists(link))
        return fail(ErrorKind::binary_or_symbol, fmt::format("binary '{}' does not exist", name),
                    "check the path; a uprobe target is BINARY:SYMBOL, e.g. /usr/bin/bash:main", ENOENT);
    // /proc/PID/exe of a process whose binary was deleted: the kernel follows that link to the
    // deleted file's inode, which no other path reaches.
    if (fs::is_symlink(link))
        if (auto target = fs::read_symlink(name, ec); !ec && target.string().ends_with(" (deleted)")) {
            spdlog::info("{} leads to a deleted file ({}): the uprobe goes on that file, through {}", name,
                         target.string(), name);
            return name;
        }
    const auto status = fs::status(name, ec);
    if (!fs::exists(status))
        return fail(ErrorKind::binary_or_symbol,
                    fmt::format("binary '{}' is a symbolic link to '{}', which does not exist", name,
                                fs::read_symlink(name, ec).string()),
                    "give the path of the binary itself", ENOENT);
    if (fs::is_directory(status))
        return fail(ErrorKind::binary_or_symbol, fmt::format("'{}' is a directory, not a binary", name),
                    "a uprobe target is BINARY:SYMBOL, e.g. /usr/bin/bash:main", EISDIR);
    if (!fs::is_regular_file(status))
        return fail(ErrorKind::binary_or_symbol,
                    fmt::format("'{}' is not a regular file (a device, FIFO or socket), so not a binary", name),
                    "a uprobe needs an executable or shared library file", EINVAL);
    const auto real = fs::canonical(name, ec);
    if (ec)
        return fail(ErrorKind::binary_or_symbol, fmt::format("cannot resolve '{}': {}", name, ec.message()),
                    "check the path and its permissions", ec.value());
    if (fs::is_symlink(link))
        spdlog::info("{} is a symbolic link: the uprobe goes on {}, the file it names now", name, real.string());
    return real.string();
}

}  // namespace

Expected<std::string> resolve_binary(const std::string &name)
{
    if (name == "libc") {
        if (auto libc = our_libc())
            return *libc;
        return fail(ErrorKind::binary_or_symbol, "cannot find the C library this process runs with",
                    "name it by path, e.g. /lib/x86_64-linux-gnu/libc.so.6:execve");
    }
    std::error_code ec;
    if (name.find('/') != std::string::npos)
        return resolve_binary_path(name);
    for (const auto &dirs : {library_dirs(), path_dirs()}) {
        for (const auto &dir : dirs) {
            fs::path candidate = fs::path(dir) / name;
            if (fs::is_regular_file(candidate, ec))
                return fs::canonical(candidate, ec).string();
        }
    }
    return fail(ErrorKind::binary_or_symbol,
                fmt::format("binary '{}' not found in the library directories or $PATH", name),
                "give its full path, e.g. /usr/lib/x86_64-linux-gnu/libc.so.6:execve", ENOENT);
}

namespace {

// An ELF file open for reading: its descriptor and libelf's handle, closed together.
struct OpenedElf {
    FdCloser file{-1};
    std::unique_ptr<Elf, ElfCloser> elf;
};

Expected<std::unique_ptr<OpenedElf>> open_elf(const std::string &path)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(ErrorKind::internal, "libelf could not be initialised");
    auto opened = std::make_unique<OpenedElf>();  // built in place: a copy's FdCloser would close the file
    opened->file.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO must not block
    if (opened->file.fd < 0) {
        int err = errno;
        return fail(ErrorKind::binary_or_symbol, fmt::format("cannot open binary '{}': {}", path, errno_text(err)),
                    "check the path and its permissions", err);
    }
    opened->elf.reset(elf_begin(opened->file.fd, ELF_C_READ, nullptr));
    if (!opened->elf || elf_kind(opened->elf.get()) != ELF_K_ELF)
        return fail(ErrorKind::binary_or_symbol, fmt::format("'{}' is not an ELF file", path),
                    "a uprobe needs an executable or shared library, not a script or data file");
    return opened;
}

}  // namespace

Expected<ElfFunctions> list_elf_functions(const std::string &path)
{
    auto opened = open_elf(path);
    if (!opened)
        return std::unexpected(opened.error());
    Elf *elf = (*opened)->elf.get();
    ElfFunctions functions;
    for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr header;
        if (!gelf_getshdr(scn, &header) || (header.sh_type != SHT_SYMTAB && header.sh_type != SHT_DYNSYM) ||
            header.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, nullptr);
        for (size_t i = 0; data && i < header.sh_size / header.sh_entsize; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, static_cast<int>(i), &sym) || !is_defined_function(sym))
                continue;
            const char *name = elf_strptr(elf, header.sh_link, sym.st_name);
            if (!name || !*name)
                continue;
            functions.names.insert(name);
            if (GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC)
                functions.ifuncs.insert(name);
        }
    }
    return functions;
}

Expected<ElfSymbol> find_elf_function(const std::string &path, const std::string &symbol)
{
    auto opened = open_elf(path);
    if (!opened)
        return std::unexpected(opened.error());
    std::unique_ptr<Elf, ElfCloser> &elf = (*opened)->elf;

    bool has_symtab = false;
    std::optional<ElfSymbol> from_dynsym;
    for (Elf_Scn *scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
        GElf_Shdr header;
        if (!gelf_getshdr(scn, &header))
            continue;
        if (header.sh_type == SHT_SYMTAB) {
            has_symtab = true;
            if (auto found = search_table(elf.get(), scn, header, symbol))
                return *found;
        } else if (header.sh_type == SHT_DYNSYM && !from_dynsym) {
            from_dynsym = search_table(elf.get(), scn, header, symbol);
        }
    }
    if (from_dynsym)
        return *from_dynsym;
    if (imports_symbol(elf.get(), symbol))
        return fail(ErrorKind::binary_or_symbol,
                    fmt::format("'{}' is not defined in {}: the binary imports it from a shared library and calls "
                                "it through a PLT stub",
                                symbol, path),
                    fmt::format("attach to the library that defines it, e.g. libc:{}", symbol), ENOENT);
    return fail(ErrorKind::binary_or_symbol,
                fmt::format("function '{}' not found in {}{}", symbol, path,
                            has_symtab ? "" : " (the binary is stripped: only exported symbols are left)"),
                "list its functions with: nm -D --defined-only " + path, ENOENT);
}

std::string ifunc_note(const std::string &function, const std::string &binary)
{
    return fmt::format("{} is an IFUNC resolver: a uprobe there fires once, when the program is linked, not on "
                       "calls; probectl targets '{}:*{}*' lists the implementations",
                       function, binary, function);
}

}  // namespace probectl
