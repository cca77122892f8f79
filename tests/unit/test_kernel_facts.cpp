#include <catch2/catch.hpp>

#include "loader/error.h"
#include "loader/kernel_facts.h"

using namespace probectl;

TEST_CASE("kernel config: values, modules and 'is not set'", "[facts]")
{
    auto config = parse_kernel_config("CONFIG_BPF=y\n"
                                      "# CONFIG_KPROBES is not set\n"
                                      "CONFIG_9P_FS=m\n"
                                      "CONFIG_NR_CPUS=64\n"
                                      "# just a comment\n");
    CHECK(config.at("CONFIG_BPF") == "y");
    CHECK(config.at("CONFIG_KPROBES").empty());
    CHECK(config.at("CONFIG_9P_FS") == "m");
    CHECK(config.at("CONFIG_NR_CPUS") == "64");
    CHECK(config.size() == 4);
}

TEST_CASE("kallsyms: text symbols only, module names dropped", "[facts]")
{
    KernelSymbols symbols;
    parse_kallsyms("ffffffff81000000 T _stext\n"
                   "ffffffff816e0540 t bprm_execve\n"
                   "ffffffff82000000 D some_data\n"
                   "ffffffffc0000000 t nf_hook\t[nf_tables]\n",
                   symbols);
    CHECK(std::vector<std::string>(symbols.kallsyms.begin(), symbols.kallsyms.end()) ==
          std::vector<std::string>{"_stext", "bprm_execve", "nf_hook"});
}

TEST_CASE("errno texts name the errno and say what it means", "[facts]")
{
    CHECK(errno_text(-1) == "EPERM (Operation not permitted)");
    CHECK(errno_text(2) == "ENOENT (No such file or directory)");
    CHECK(errno_text(524) == "ENOTSUPP (operation not supported by the kernel)");
}
