// probectl compare on the running kernel: the built-in scenarios through every hook type at once,
// and the facts each hook must show of each exec. The expectations are written out here per place a
// hook stands relative to the exec (where_on_exec_path(), from each hook's registry facts: target kind
// and phase, entry_args and return_value), not taken from compare's tables; a hook in a place with no
// expectation written fails. A hook may be missing only when this kernel lacks it, for the reason found
// independently (expected_hooks.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <iostream>
#include <set>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "tests/kernel/compare_fields.h"
#include "tests/kernel/compare_hooks.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const HookInfo &info_of(const std::string &hook)
{
    const AttachStrategy *strategy = Registry::instance().find(hook);
    if (!strategy)
        FAIL("compare reports hook " << hook << ", which the registry does not have");
    return strategy->info();
}

Place where_on_exec_path(const std::string &hook)
{
    return expected_hook(hook).place;
}

bool is_at(const std::string &hook, Place place)
{
    return where_on_exec_path(hook) == place;
}

// Every hook of the registry at that place (attached here or not).
std::set<std::string> hooks_at(Place place)
{
    std::set<std::string> out;
    for (const auto &strategy : Registry::instance().all())
        if (const std::string name(strategy->info().name); is_at(name, place))
            out.insert(name);
    return out;
}

struct Run {
    json report;
    std::set<std::string> attached;
};

const Run &compare_run()
{
    static const Run run = [] {
        auto finished = test::run(compare_command("execve"), 120s);
        INFO("stderr: " << finished.err);
        REQUIRE(finished.exit_code == 0);
        Run out{json::parse(finished.out), {}};
        for (const auto &hook : out.report["hooks"])
            if (hook["attached"].get<bool>())
                out.attached.insert(hook["hook"].get<std::string>());
        return out;
    }();
    return run;
}

const json &exec(const std::string &id)
{
    for (const auto &e : compare_run().report["execs"])
        if (e["id"] == id)
            return e;
    FAIL("no exec " << id << " in the report");
    static const json none;
    return none;
}

bool attached(const std::string &hook)
{
    return compare_run().attached.contains(hook);
}

std::size_t seen(const json &e, const std::string &hook)
{
    return e["coverage"][hook]["count"].get<std::size_t>();
}

// Whether a hook's events carry a field: as its row of expected behaviour says for filename and
// argv (tests/kernel/expected_hooks.cpp), old_pid after exec, the return value where the registry says
// the hook can read it.
bool fills(const std::string &hook, const std::string &field)
{
    if (field == "comm" || field == "pid" || field == "uid")
        return true;
    if (field == "filename")
        return expected_hook(hook).filename;
    if (field == "argv")
        return expected_hook(hook).argv;
    if (field == "old_pid")
        return is_at(hook, Place::post_exec);
    if (field == "retval")
        return info_of(hook).return_value;
    FAIL("no expectation written for field " << field);
    return false;
}

// The values of a field each hook reported for an exec, after checking that exactly the hooks that
// must report it did: every attached hook that saw the exec and whose events carry the field. A field
// missing from the report, or a hook missing from a field, fails here rather than skipping a comparison.
std::map<std::string, std::string> reported(const json &e, const std::string &field)
{
    std::set<std::string> expected;
    for (const auto &hook : compare_run().attached)
        if (seen(e, hook) > 0 && fills(hook, field))
            expected.insert(hook);
    const auto by_hook = field_values(e, field);
    std::set<std::string> present;
    for (const auto &[hook, value] : by_hook)
        present.insert(hook);
    INFO("exec " << e["id"].get<std::string>() << ", field " << field << ": " << e["fields"].dump());
    CHECK(present == expected);
    return by_hook;
}

std::string cause(const json &e, const std::string &hook)
{
    const auto &c = e["coverage"][hook]["cause"];
    return c.is_string() ? c.get<std::string>() : "";
}

// How many times each attached hook must see an exec, and the words that must explain an absence.
// binaries: how many binaries the exec loaded (a #! script: the script, then its interpreter).
void check_coverage(const std::string &id, bool succeeded, bool via_execveat, const std::string &errno_name,
                    unsigned binaries = 1)
{
    const json &e = exec(id);
    INFO("exec " << id << ": " << e.dump());
    const bool kernel_function_sees = succeeded || exec_path_function_sees_failed_open();
    for (const auto &hook : compare_run().attached) {
        INFO("hook " << hook);
        switch (where_on_exec_path(hook)) {
        case Place::syscall_entry:
            CHECK(seen(e, hook) == (via_execveat ? 0u : 1u));
            if (via_execveat)
                CHECK_THAT(cause(e, hook), Catch::Contains("this exec called execveat"));
            break;
        case Place::user_return:
            CHECK(seen(e, hook) == (succeeded || via_execveat ? 0u : 1u));
            if (via_execveat)
                CHECK_THAT(cause(e, hook), Catch::Contains("this exec called execveat"));
            else if (succeeded)
                CHECK_THAT(cause(e, hook), Catch::Contains("fires only when execve returns"));
            break;
        case Place::post_exec:
            CHECK(seen(e, hook) == (succeeded ? 1u : 0u));
            if (!succeeded)
                CHECK(cause(e, hook) ==
                      "post-exec hook: a failed exec (" + errno_name + ") never reaches sched_process_exec");
            break;
        case Place::kernel_entry:
        case Place::kernel_return:
            CHECK(seen(e, hook) == (kernel_function_sees ? 1u : 0u));
            if (!kernel_function_sees)
                CHECK_THAT(cause(e, hook),
                           Catch::Contains("the exec failed (" + errno_name + ") before it reached"));
            break;
        case Place::exec_path:  // bprm_execve and begin_new_exec at least; on failure as bprm_execve does
            if (succeeded)
                CHECK(seen(e, hook) >= 2u);
            else
                CHECK(seen(e, hook) == (kernel_function_sees ? 1u : 0u));
            if (!kernel_function_sees)
                CHECK_THAT(cause(e, hook),
                           Catch::Contains("the exec failed (" + errno_name + ") before it reached"));
            break;
        case Place::binary_check:
            CHECK(seen(e, hook) == (succeeded ? binaries : 0u));
            if (!succeeded)
                CHECK_THAT(cause(e, hook),
                           Catch::Contains("the exec failed (" + errno_name + ") before it reached"));
            break;
        }
    }
}

}  // namespace

TEST_CASE("compare: every hook this kernel has takes part; the others say why", "[compare]")
{
    const auto &report = compare_run().report;
    const auto attached = attached_hooks(report);
    for (const auto &hook : report["hooks"]) {
        INFO("hook " << hook.dump());
        if (attached.contains(hook["hook"])) {
            CHECK(hook["cost"]["emitted"] == hook["events"]);
            CHECK(hook["explained"] == hook["events"]);
        }
    }
    CHECK(report["execs"].size() == 11);
    CHECK(report["unexplained"].empty());
    CHECK(report["unknown_causes"] == 0);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("compare: who sees which exec, and why not", "[compare]")
{
    check_coverage("1", true, false, "");
    check_coverage("2a", false, false, "ENOENT");
    check_coverage("2b", false, false, "EACCES");
    check_coverage("3", true, false, "", 2);
    check_coverage("4", true, true, "");
    check_coverage("5", true, false, "");
    check_coverage("6", true, false, "");
    check_coverage("7", true, false, "");
    check_coverage("8a", false, false, "ENOENT");
    check_coverage("8b", false, false, "ENOENT");
    check_coverage("8c", true, false, "");
    CHECK(exec("2a")["error"] == ENOENT);
    CHECK(exec("2b")["error"] == EACCES);
    CHECK(exec("8c")["error"] == 0);
}

TEST_CASE("compare: return values of the failing and succeeding execs", "[compare]")
{
    const auto ok = reported(exec("1"), "retval");
    const auto enoent = reported(exec("2a"), "retval");
    const auto eacces = reported(exec("2b"), "retval");
    for (const auto &hook : hooks_at(Place::user_return)) {  // libc's execve returns -1 and sets errno
        if (!attached(hook))
            continue;
        CHECK(enoent.at(hook) == "-1");
        CHECK(eacces.at(hook) == "-1");
    }
    for (const auto &hook : hooks_at(Place::kernel_return)) {
        if (!attached(hook))
            continue;
        CHECK(ok.at(hook) == "0");
        if (exec_path_function_sees_failed_open()) {
            CHECK(enoent.at(hook) == std::to_string(-ENOENT));
            CHECK(eacces.at(hook) == std::to_string(-EACCES));
        }
    }
    for (const auto &[hook, value] : ok)
        CHECK(is_at(hook, Place::kernel_return));  // no entry or post-exec hook has a return value
}

TEST_CASE("compare: the #! script's filename, argv and comm as each hook reports them", "[compare]")
{
    const json &e = exec("3");
    const std::string script = e["path"];
    REQUIRE_THAT(script, Catch::EndsWith("/pctl-script.sh"));
    for (const auto &[hook, filename] : reported(e, "filename")) {
        INFO(hook);
        CHECK(filename == script);  // at syscall entry and in linux_binprm: the script, not /bin/sh
    }
    for (const auto &[hook, comm] : reported(e, "comm")) {
        INFO(hook);
        CHECK(comm == (is_at(hook, Place::post_exec) || is_at(hook, Place::kernel_return) ? "pctl-script.sh"
                                                                                          : "pctl-cmp-3"));
    }
    for (const auto &[hook, argv] : reported(e, "argv")) {
        INFO(hook);  // before exec: as passed; after: the interpreter's argv, script path inserted
        CHECK(argv == (is_at(hook, Place::post_exec) ? "/bin/sh " + script + " arg1" : "pctl-script.sh arg1"));
    }
}

TEST_CASE("compare: fexecve is seen by linux_binprm as /dev/fd/N, not by execve hooks", "[compare]")
{
    const json &e = exec("4");
    CHECK(e["syscall"] == "execveat");
    const auto filenames = reported(e, "filename");
    for (const auto &[hook, filename] : filenames) {
        INFO(hook);
        CHECK_THAT(filename, Catch::StartsWith("/dev/fd/"));
    }
    for (const auto &hook : hooks_at(Place::post_exec))
        if (attached(hook))
            CHECK(filenames.contains(hook));
}

TEST_CASE("compare: an exec from a non-leader thread changes the pid it is reported under", "[compare]")
{
    const json &e = exec("5");
    const auto tgid = e["tgid"].get<std::uint32_t>(), tid = e["tid"].get<std::uint32_t>();
    REQUIRE(tid != tgid);
    for (const auto &[hook, pid] : reported(e, "pid")) {
        INFO(hook);
        const bool after_de_thread = is_at(hook, Place::post_exec) || is_at(hook, Place::kernel_return);
        CHECK(pid == std::to_string(after_de_thread ? tgid : tid));
    }
    for (const auto &[hook, old_pid] : reported(e, "old_pid")) {
        INFO(hook);
        CHECK(old_pid == std::to_string(tid));  // reported() checks that every attached post-exec hook gave it
    }
}

TEST_CASE("compare: an argv over the capture limit is flagged by every hook that reads argv", "[compare]")
{
    const json &e = exec("6");
    CHECK(e["argv_over_limit"] == true);
    std::set<std::string> flagged;
    for (const auto &hook : e["truncated_by"])
        flagged.insert(hook.get<std::string>());
    for (const auto &strategy : Registry::instance().all())  // every hook that reads argv
        if (const std::string hook(strategy->info().name); fills(hook, "argv") && attached(hook))
            CHECK(flagged.contains(hook));
    for (const auto &[hook, argv] : reported(exec("1"), "argv"))
        CHECK(argv == "true probectl-compare two words");
    CHECK(exec("1")["truncated_by"].empty());
}

TEST_CASE("compare: an exec under another uid is reported with that uid by every hook", "[compare]")
{
    const json &e = exec("7");
    CHECK(e["uid"] == 65534);
    const auto uids = reported(e, "uid");
    CHECK_FALSE(uids.empty());
    for (const auto &[hook, uid] : uids)
        CHECK(uid == "65534");
}

TEST_CASE("compare --replay re-reports a recording without the kernel", "[compare]")
{
    const auto dir = std::filesystem::temp_directory_path() / ("probectl-replay-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto recording = (dir / "run.json").string();
    auto recorded =
        test::run({probectl_binary(), "compare", "--scenarios", "1,2", "--json", "--record", recording}, 120s);
    REQUIRE(recorded.exit_code == 0);
    auto replayed = test::run({probectl_binary(), "compare", "--replay", recording, "--json"});
    REQUIRE(replayed.exit_code == 0);
    CHECK(json::parse(replayed.out) == json::parse(recorded.out));
    CHECK(json::parse(replayed.out)["execs"].size() == 3);
    std::filesystem::remove_all(dir);
}
