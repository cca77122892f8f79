#include <catch2/catch.hpp>

#include "loader/elf_symbols.h"

using namespace probectl;

// A function of this test binary, kept out of line so it has a symbol of its own.
extern "C" [[gnu::noinline]] int probectl_test_marker_function(int x)
{
    return x * 3 + 1;
}

TEST_CASE("a function of our own binary is found with its file offset", "[elf]")
{
    auto self = resolve_binary("/proc/self/exe");
    REQUIRE(self);
    auto symbol = find_elf_function(*self, "probectl_test_marker_function");
    REQUIRE(symbol);
    CHECK(symbol->file_offset > 0);
    CHECK(symbol->size > 0);
    CHECK(probectl_test_marker_function(1) == 4);
}

TEST_CASE("libc is the C library this process runs with, and has execve", "[elf]")
{
    auto libc = resolve_binary("libc");
    REQUIRE(libc);
    CHECK(libc->find("libc") != std::string::npos);
    auto execve = find_elf_function(*libc, "execve");
    REQUIRE(execve);
    CHECK(execve->file_offset > 0);
    CHECK_FALSE(execve->ifunc);
}

TEST_CASE("IFUNC resolvers are told apart: libc's strlen picks its implementation at link time", "[elf]")
{
    auto libc = resolve_binary("libc");
    REQUIRE(libc);
    auto strlen_symbol = find_elf_function(*libc, "strlen");
    REQUIRE(strlen_symbol);
    CHECK(strlen_symbol->ifunc);
    auto functions = list_elf_functions(*libc);
    REQUIRE(functions);
    CHECK(functions->ifuncs.contains("strlen"));
    CHECK(functions->names.contains("strlen"));
    CHECK_FALSE(functions->ifuncs.contains("execve"));
    CHECK(functions->names.contains("execve"));
    CHECK(ifunc_note("strlen", "libc") ==
          "strlen is an IFUNC resolver: a uprobe there fires once, when the program "
          "is linked, not on calls; probectl targets 'libc:*strlen*' lists the "
          "implementations");
}

TEST_CASE("missing binaries, non-ELF files and absent symbols say which", "[elf]")
{
    auto missing = resolve_binary("/nonexistent/tool");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == ErrorKind::binary_or_symbol);
    CHECK(missing.error().message == "binary '/nonexistent/tool' does not exist");

    auto not_elf = find_elf_function("/etc/passwd", "main");
    REQUIRE_FALSE(not_elf);
    CHECK(not_elf.error().message == "'/etc/passwd' is not an ELF file");

    auto libc = resolve_binary("libc");
    REQUIRE(libc);
    auto absent = find_elf_function(*libc, "no_such_function_in_libc");
    REQUIRE_FALSE(absent);
    CHECK(absent.error().kind == ErrorKind::binary_or_symbol);
    CHECK(absent.error().message.starts_with("function 'no_such_function_in_libc' not found in "));

    // bash calls execve through its PLT: the code is libc's, not bash's.
    auto imported = find_elf_function("/bin/bash", "execve");
    REQUIRE_FALSE(imported);
    CHECK(imported.error().message ==
          "'execve' is not defined in /bin/bash: the binary imports it from a shared library and calls it through "
          "a PLT stub");
    CHECK(imported.error().hint == "attach to the library that defines it, e.g. libc:execve");

    auto by_name = resolve_binary("no-such-binary-anywhere");
    REQUIRE_FALSE(by_name);
    CHECK(by_name.error().message ==
          "binary 'no-such-binary-anywhere' not found in the library directories or $PATH");
}
