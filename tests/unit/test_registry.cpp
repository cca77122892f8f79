#include <catch2/catch.hpp>

#include <set>

#include "attach/registry.h"
#include "cli/exit_codes.h"
#include "probes/event.h"

using namespace probectl;

TEST_CASE("the registry lists the hook types in the order of their ids, the first ten as before", "[registry]")
{
    std::vector<std::string_view> names;
    std::uint32_t previous = 0;
    for (const auto &strategy : Registry::instance().all()) {
        names.push_back(strategy->info().name);
        CHECK(strategy->info().id > previous);
        previous = strategy->info().id;
    }
    REQUIRE(names.size() >= 10);
    CHECK(std::vector(names.begin(), names.begin() + 10) ==
          std::vector<std::string_view>{"kprobe", "kretprobe", "fentry", "fexit", "tracepoint", "tp_btf", "raw_tp",
                                        "uprobe", "uretprobe", "ksyscall"});
}

TEST_CASE("aliases find the same strategy as the name", "[registry]")
{
    const auto &registry = Registry::instance();
    CHECK(registry.find("kfunc") == registry.find("fentry"));
    CHECK(registry.find("kretfunc") == registry.find("fexit"));
    CHECK(registry.find("tp") == registry.find("tracepoint"));
    CHECK(registry.find("raw_tracepoint") == registry.find("raw_tp"));
    CHECK(registry.find("fentry")->info().id == PCTL_HOOK_FENTRY);
}

TEST_CASE("names, aliases and hook ids are unique", "[registry]")
{
    std::set<std::string_view> seen;
    std::set<std::uint32_t> ids;
    for (const auto &strategy : Registry::instance().all()) {
        const HookInfo &info = strategy->info();
        CHECK(seen.insert(info.name).second);
        for (auto alias : info.aliases)
            CHECK(seen.insert(alias).second);
        CHECK(ids.insert(info.id).second);
        CHECK(Registry::instance().by_id(info.id) == strategy.get());
    }
}

TEST_CASE("an unknown hook type fails with its own exit code and the list of names", "[registry]")
{
    auto found = Registry::instance().lookup("kprobes");
    REQUIRE_FALSE(found);
    CHECK(found.error().kind == ErrorKind::unknown_hook);
    CHECK(exit_code(found.error()) == 3);
    CHECK(found.error().message == "unknown hook type 'kprobes'");
    CHECK(found.error().hint.find("kprobe, kretprobe, fentry") != std::string::npos);
}

TEST_CASE("the table says what each hook can see", "[registry]")
{
    const auto &registry = Registry::instance();
    CHECK_FALSE(registry.find("kretprobe")->info().entry_args);
    CHECK(registry.find("fexit")->info().entry_args);
    CHECK(registry.find("fexit")->info().return_value);
    CHECK(registry.find("tp_btf")->info().phase == ExecPhase::after_exec);
    CHECK(registry.find("uretprobe")->info().phase == ExecPhase::on_return);
    CHECK(registry.find("fentry")->info().needs_btf);
    CHECK_FALSE(registry.find("raw_tp")->info().needs_btf);
}

TEST_CASE("the registry names every hook id events can carry, and no other", "[registry]")
{
    // probes/event.h numbers the hooks; PCTL_HOOK_END bounds what the decoder accepts, so a hook id
    // without a registry entry, or an entry without an id, is caught here.
    std::set<std::uint32_t> ids;
    for (const auto &strategy : Registry::instance().all())
        ids.insert(strategy->info().id);
    std::set<std::uint32_t> declared;
    for (std::uint32_t id = 1; id < PCTL_HOOK_END; id++)
        declared.insert(id);
    CHECK(ids == declared);
}

TEST_CASE("every entry's program type and section are ones libbpf and the kernel name", "[registry]")
{
    for (const auto &strategy : Registry::instance().all()) {
        const HookInfo &info = strategy->info();
        INFO(info.name);
        CHECK(program_type_from_name(program_type_name(info.program_type)) == info.program_type);
        CHECK_FALSE(info.section.empty());
        CHECK_FALSE(info.sees.empty());
        CHECK_FALSE(info.min_kernel.empty());
    }
}
