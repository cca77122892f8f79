// probectl btf on a BTF sample compiled from tests/data/btf_sample.c.
#include <catch2/catch.hpp>

#include "cli/btf_format.h"
#include "loader/btf_query.h"
#include "tests/support/contains.h"
#include "tests/support/process.h"

using namespace probectl;
using probectl::test::contains;

namespace {

BtfDefinition describe(const std::string &name)
{
    auto btf = BtfFile::parse(probectl::test::btf_sample_path());
    REQUIRE(btf);
    auto definition = btf->describe(name);
    INFO("error: " << (definition ? "" : definition.error().one_line()));
    REQUIRE(definition);
    return *definition;
}

}  // namespace

TEST_CASE("a struct: its C, what it needs first, and its layout with holes", "[btf]")
{
    BtfDefinition sample = describe("sample");
    CHECK(sample.kind == "struct");
    CHECK(sample.size == 40);
    CHECK(sample.c.find("struct sample_inner {") < sample.c.find("struct sample {"));
    CHECK(contains(sample.c, "\tunsigned int flag: 3;\n"));

    REQUIRE(sample.members.size() == 7);
    CHECK(sample.members[0].name == "c");
    CHECK(sample.members[1].name == "i");
    CHECK(sample.members[1].offset_bits == 32);
    CHECK(sample.members[1].hole_before == 3);
    CHECK(sample.members[2].type == "struct sample_inner");
    CHECK(sample.members[2].size_bytes == 8);
    CHECK(sample.members[3].offset_bits == 128);
    CHECK(sample.members[3].bitfield_bits == 3);
    CHECK(sample.members[4].offset_bits == 131);
    CHECK(sample.members[5].name == "l");
    CHECK(sample.members[5].hole_before == 7);  // bytes 17..23: after the bitfields' byte
    CHECK(sample.tail_padding == 7);

    const std::string text = btf_text(sample, true);
    CHECK(contains(text, "/* struct sample: BTF id "));
    CHECK(contains(text, "/* hole: 3 bytes of padding */"));
    CHECK(contains(text, "    16:3 5 bits  more"));
    CHECK(contains(text, "/* tail padding: 7 bytes */"));
    CHECK_FALSE(contains(btf_text(sample, false), "OFFSET"));
}

TEST_CASE("a function: its prototype with parameter names", "[btf]")
{
    BtfDefinition func = describe("sample_func");
    CHECK(func.kind == "func");
    CHECK(func.params == 3);
    CHECK(func.c == "int sample_func(sample_t *s, enum sample_color color, union sample_union *u);\n");
    CHECK(btf_json(func)["params"] == 3);
}

TEST_CASE("typedefs, enums and unions", "[btf]")
{
    CHECK(contains(describe("sample_t").c, "typedef struct sample sample_t;"));
    BtfDefinition color = describe("sample_color");
    CHECK(color.kind == "enum");
    CHECK(contains(color.c, "SAMPLE_GREEN = 5"));
    BtfDefinition u = describe("sample_union");
    CHECK(u.kind == "union");
    CHECK(u.size == 8);
    CHECK(u.members[1].offset_bits == 0);
    CHECK(u.members[1].hole_before == 0);
}

TEST_CASE("unknown names and unreadable files are errors with a hint", "[btf]")
{
    auto btf = BtfFile::parse(probectl::test::btf_sample_path());
    REQUIRE(btf);
    auto missing = btf->describe("linux_binprm");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == ErrorKind::target_not_found);
    CHECK(missing.error().message == "no struct, union, typedef, enum or function named 'linux_binprm' in BTF");
    CHECK(missing.error().hint == "names are without 'struct ': e.g. probectl btf linux_binprm");

    auto typo = btf->describe("sample_iner");  // the nearest names of the kinds it describes
    REQUIRE_FALSE(typo);
    CHECK(typo.error().hint ==
          "did you mean sample_inner? names are without 'struct ': e.g. probectl btf linux_binprm");

    auto not_btf = BtfFile::parse("/etc/passwd");
    REQUIRE_FALSE(not_btf);
    CHECK(not_btf.error().message ==
          "no BTF can be read from /etc/passwd: it is neither raw BTF nor an ELF file with a .BTF section");
    CHECK(not_btf.error().hint ==
          "--file takes raw BTF (/sys/kernel/btf/vmlinux) or an ELF object built with -g (a .bpf.o)");
}
