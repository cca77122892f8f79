// probectl btf on the running kernel's BTF: the struct every exec passes around.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"

using namespace probectl::test;

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
    bool found = false;
    for (const auto &member : definition["members"])
        if (member["name"] == "filename") {
            found = true;
            CHECK(member["type"] == "const char *");
            CHECK(member["size"] == 8);
            CHECK(member["offset_bits"].get<int>() % 64 == 0);
        }
    CHECK(found);
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
