// probectl explain do_execve on the running kernel: inlined, each hook's verdict with the reason this
// kernel gives (tests/kernel/expected_hooks), and fentry's substitute.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "attach/registry.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/folded_text.h"
#include "tests/support/process.h"

using namespace probectl::test;

TEST_CASE("explain do_execve: inlined here, each hook's verdict and reason, the alternatives", "[cli]")
{
    auto result = run({probectl_binary(), "explain", "do_execve", "--json"});
    INFO("stderr: " << result.err);
    REQUIRE(result.exit_code == 0);
    auto report = nlohmann::json::parse(result.out);
    CHECK(report["kind"] == "exec event");
    CHECK(report["function"]["inlined_or_absent"] == true);  // on 5.10, 6.1, 6.12, 7.x and 6.18
    REQUIRE(report["hooks"].size() == probectl::Registry::instance().all().size());  // the exec event: every hook
    for (const auto &hook : report["hooks"]) {
        const std::string name = hook["hook"];
        INFO(hook.dump());
        CHECK(hook["attach_point"].is_string());
        if (auto reason = expected_unsupported_reason(name)) {
            CHECK(hook["works"] == false);
            CHECK(hook["reason"].get<std::string>().find(*reason) != std::string::npos);
        } else {
            CHECK(hook["works"] == true);
        }
        if (name == "fentry")  // a BTF function on the exec path: do_execveat_common (5.10) or bprm_execve
            CHECK((hook["attach_point"] == "bprm_execve" || hook["attach_point"] == "do_execveat_common"));
    }
    bool bprm_execve_present = false;
    for (const auto &alternative : report["alternatives"])
        if (alternative["name"] == "bprm_execve")
            bprm_execve_present = alternative["present"];
    CHECK(bprm_execve_present);
}

TEST_CASE("explain a tracepoint shows its format fields and tp_btf's context type", "[cli]")
{
    auto result = run({probectl_binary(), "explain", "sched:sched_process_exec"});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("format field unsigned short common_type (common: ") != std::string::npos);
    CHECK(result.out.find("format field pid_t old_pid") != std::string::npos);
    CHECK(unfolded(result.out)
              .find("tp_btf context: typedef void (*btf_trace_sched_process_exec)(void *, struct "
                    "task_struct *, pid_t, struct linux_binprm *);") != std::string::npos);
    CHECK(result.out.find("\ntracepoint    yes") != std::string::npos);
}

TEST_CASE("explain a name no hook type finds: the report, then one line and exit 4", "[cli]")
{
    auto result = run({probectl_binary(), "explain", "vsf_read"});
    CHECK(result.exit_code == 4);  // target not found
    CHECK(result.out.find("vsf_read: inlined or absent on this kernel") != std::string::npos);
    CHECK(unfolded(result.out).find("did you mean vfs_read?") != std::string::npos);
    CHECK(result.err ==
          "probectl: error: no hook type finds 'vsf_read' on this kernel. Hint: the report above names "
          "what is near; probectl targets 'GLOB' lists names\n");
}
