// probectl btf on the running kernel's BTF: the struct every exec passes around.
#include <catch2/catch.hpp>

#include <bpf/btf.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "tests/support/process.h"

using namespace probectl::test;

namespace {

// Where the running kernel's BTF puts a direct member of a struct, in bits: read with libbpf's own
// BTF parser, the data CO-RE relocates against, not through probectl's BTF code.
std::optional<std::uint32_t> member_bit_offset(const char *type, const char *member)
{
    struct btf *btf = btf__load_vmlinux_btf();
    REQUIRE(btf);
    std::optional<std::uint32_t> offset;
    const int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
    if (id > 0) {
        const struct btf_type *t = btf__type_by_id(btf, static_cast<__u32>(id));
        const struct btf_member *m = btf_members(t);
        for (__u32 i = 0; i < btf_vlen(t); i++, m++)
            if (std::string(btf__name_by_offset(btf, m->name_off)) == member)
                offset = btf_member_bit_offset(t, i);
    }
    btf__free(btf);
    return offset;
}

}  // namespace

TEST_CASE("btf linux_binprm prints the struct as C, with filename at the offset CO-RE finds", "[cli]")
{
    auto text = run({probectl_binary(), "btf", "linux_binprm"});
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("struct linux_binprm {\n") != std::string::npos);
    CHECK(text.out.find("\tconst char *filename;\n") != std::string::npos);
    CHECK(text.out.find("\tint argc;\n") != std::string::npos);

    auto json = run({probectl_binary(), "btf", "linux_binprm", "--json"});
    REQUIRE(json.exit_code == 0);
    auto definition = nlohmann::json::parse(json.out);
    CHECK(definition["kind"] == "struct");
    const auto kernel_offset = member_bit_offset("linux_binprm", "filename");
    REQUIRE(kernel_offset);  // the kernel's BTF has linux_binprm.filename as a direct member
    bool found = false;
    for (const auto &member : definition["members"])
        if (member["name"] == "filename") {
            found = true;
            CHECK(member["type"] == "const char *");
            CHECK(member["size"] == 8);
            CHECK(member["offset_bits"].get<int>() % 64 == 0);
            CHECK(member["offset_bits"].get<std::uint32_t>() == *kernel_offset);
        }
    CHECK(found);
    // and the text form gives the same offset in bytes
    auto offsets = run({probectl_binary(), "btf", "linux_binprm", "--offsets"});
    REQUIRE(offsets.exit_code == 0);
    INFO(offsets.out);
    CHECK(offsets.out.find(fmt::format("\n{:>8} {:>6}  {:<28} {}\n", *kernel_offset / 8, 8, "filename",
                                       "const char *")) != std::string::npos);
}

TEST_CASE("btf on a function prints its prototype; an unknown name exits 4", "[cli]")
{
    auto func = run({probectl_binary(), "btf", "begin_new_exec"});
    REQUIRE(func.exit_code == 0);
    CHECK(func.out.find("int begin_new_exec(struct linux_binprm *bprm);\n") != std::string::npos);

    auto missing = run({probectl_binary(), "btf", "no_such_kernel_type"});
    CHECK(missing.exit_code == 4);
    CHECK(missing.err ==
          "probectl: error: no struct, union, typedef, enum or function named 'no_such_kernel_type' in BTF. "
          "Hint: names are without 'struct ': e.g. probectl btf linux_binprm\n");
}
