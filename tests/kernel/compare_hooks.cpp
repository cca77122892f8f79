#include "tests/kernel/compare_hooks.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>

#include "attach/registry.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

namespace probectl::test {

std::vector<std::string> compare_command(const std::string &event)
{
    std::vector<std::string> command{probectl_binary(), "compare", "--event", event, "--json"};
    if (const std::string dir = report_input_dir(); !dir.empty()) {
        std::filesystem::create_directories(dir);
        command.insert(command.end(), {"--record", dir + "/" + event + ".json"});
    }
    return command;
}

std::set<std::string> attached_hooks(const nlohmann::json &report,
                                     const std::map<std::string, std::string> &refused)
{
    std::set<std::string> listed;
    std::set<std::string> attached;
    for (const auto &hook : report["hooks"]) {
        const std::string name = hook["hook"];
        listed.insert(name);
        INFO("hook " << name << ": " << hook.dump());
        if (auto reason = expected_unsupported_reason(name)) {
            CHECK_FALSE(hook["attached"].get<bool>());
            CHECK(hook["not_attached"] == "not supported on this kernel: " + *reason);
            std::cout << "compare: " << name << " not attached, as this kernel lacks it: " << *reason << "\n";
        } else if (auto words = refused.find(name); words != refused.end()) {
            CHECK_FALSE(hook["attached"].get<bool>());
            CHECK_THAT(hook["not_attached"].get<std::string>(), Catch::Contains(words->second));
        } else {
            CHECK(hook["attached"].get<bool>());
            CHECK(hook["cost"]["dropped"] == 0);
            attached.insert(name);
        }
    }
    std::set<std::string> registered;
    for (const auto &strategy : Registry::instance().all())
        registered.insert(std::string(strategy->info().name));
    CHECK(listed == registered);
    return attached;
}

}  // namespace probectl::test
