// NameSet (loader/name_set.h): kallsyms' names sorted once, each once, looked up and scanned by prefix.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "loader/name_set.h"

using probectl::NameSet;

namespace {

std::vector<std::string> listed(const NameSet &names)
{
    return {names.begin(), names.end()};
}

}  // namespace

TEST_CASE("name set: sorted bytewise, each name once, the names its own", "[kallsyms]")
{
    std::string text = "vfs_read\nbprm_execve\nbprm_execve.cold\n__pfx_bprm_execve\nbprm_execve\nBPRM\n";
    std::vector<std::string_view> views;
    for (size_t at = 0; at < text.size();) {
        const size_t end = text.find('\n', at);
        views.emplace_back(text.data() + at, end - at);
        at = end + 1;
    }
    const NameSet names(views);
    text.assign(text.size(), 'x');  // what the names were read from is gone
    CHECK(listed(names) ==
          std::vector<std::string>{"BPRM", "__pfx_bprm_execve", "bprm_execve", "bprm_execve.cold", "vfs_read"});
    CHECK(names.size() == 5);
    CHECK(names.contains("bprm_execve"));
    CHECK_FALSE(names.contains("bprm_exec"));
    CHECK_FALSE(names.contains("bprm"));
}

TEST_CASE("name set: a prefix scan from lower_bound, names past eight bytes ordered by all their bytes",
          "[kallsyms]")
{
    const NameSet names{"do_execveat_common.isra.0",
                        "do_execveat_common",
                        "do_execve",
                        "do_execveat_common.cold",
                        "do_exit",
                        "",
                        "do_execveat"};
    std::vector<std::string> clones;
    const std::string prefix = "do_execveat_common.";
    for (auto it = names.lower_bound(prefix); it != names.end() && it->starts_with(prefix); ++it)
        clones.emplace_back(*it);
    CHECK(clones == std::vector<std::string>{"do_execveat_common.cold", "do_execveat_common.isra.0"});
    CHECK(listed(names) == std::vector<std::string>{"", "do_execve", "do_execveat", "do_execveat_common",
                                                    "do_execveat_common.cold", "do_execveat_common.isra.0",
                                                    "do_exit"});
    const NameSet copy = names;  // copies share the names
    CHECK(listed(copy) == listed(names));
    const NameSet none;
    CHECK(none.empty());
    CHECK(none.lower_bound("x") == none.end());
}
