// Finding a function in an ELF file, for uprobes: where it is, and in words why it is not.
#pragma once

#include "loader/error.h"

#include <cstdint>
#include <set>
#include <string>

namespace probectl {

struct ElfSymbol {
    std::string name;
    std::uint64_t address = 0;      // st_value
    std::uint64_t file_offset = 0;  // what a uprobe attaches at
    std::uint64_t size = 0;
    bool from_dynsym = false;  // found only in the dynamic symbol table
    // STT_GNU_IFUNC: the symbol is the resolver that picks an implementation at relocation (libc's
    // strlen picks __strlen_avx2); a uprobe there fires once a process, not on calls.
    bool ifunc = false;
};

// A binary's functions, by name, and which of them are IFUNC resolvers.
struct ElfFunctions {
    std::set<std::string> names;
    std::set<std::string> ifuncs;  // among names
};

// What probing an IFUNC resolver does, for a note: "strlen is an IFUNC resolver: a uprobe there fires
// once, when the program is linked, not on calls; probectl targets 'libc.so.6:*strlen*' lists the
// implementations".
std::string ifunc_note(const std::string &function, const std::string &binary);

// Looks the symbol up in .symtab, then .dynsym. Errors (ErrorKind::binary_or_symbol) say whether
// the file is missing, not ELF, stripped, or simply lacks the symbol.
Expected<ElfSymbol> find_elf_function(const std::string &path, const std::string &symbol);

// Every function the file defines (.symtab and .dynsym), by name: what uprobes can attach to.
Expected<ElfFunctions> list_elf_functions(const std::string &path);

// "libc" -> the C library this process runs with; a bare name -> searched in the library
// directories and $PATH; a path -> itself. The result is an absolute path that exists.
Expected<std::string> resolve_binary(const std::string &name);

}  // namespace probectl
