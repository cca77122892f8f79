// probectl lab check on the running kernel: every lab's expected observations hold, or cannot be
// checked here for the reason the test finds independently (expected_hooks.h, the config files).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json lab_check(int number)
{
    auto finished = test::run({probectl_binary(), "lab", "check", std::to_string(number), "--json"}, 120s);
    INFO("lab " << number << " stdout: " << finished.out << "\nstderr: " << finished.err);
    const json result = json::parse(finished.out);
    // A lab whose every observation needs what this kernel lacks says that nothing was checked,
    // and exits 7 (unsupported).
    const bool none_checked = std::ranges::all_of(
        result["observations"], [](const json &o) { return o["outcome"] == "cannot check here"; });
    REQUIRE(finished.exit_code == (none_checked ? 7 : 0));
    if (none_checked)
        CHECK(finished.err.find("probectl: error: lab " + std::to_string(number) +
                                ": nothing was checked on this kernel: ") == 0);
    return result;
}

bool config_readable()
{
    utsname name{};
    uname(&name);
    return std::filesystem::exists("/proc/config.gz") ||
           std::filesystem::exists(std::string("/boot/config-") + name.release);
}

void check_all_held_except(const json &result, const std::string &maybe_unchecked, const std::string &reason)
{
    for (const auto &o : result["observations"]) {
        INFO("lab " << result["lab"] << ": " << o.dump());
        const std::string what = o["what"];
        if (!maybe_unchecked.empty() && what.find(maybe_unchecked) != std::string::npos && !reason.empty()) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(reason) != std::string::npos);
            std::cout << "lab " << result["lab"] << ": not checkable here, as expected: " << what << ": " << reason
                      << "\n";
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
}

// All held; or, when the kernel lacks what the lab needs, all not checkable for that reason.
void check_observations(const json &result, const std::optional<std::string> &reason)
{
    for (const auto &o : result["observations"]) {
        INFO("lab " << result["lab"] << ": " << o.dump());
        if (reason) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*reason) != std::string::npos);
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
    if (reason)
        std::cout << "lab " << result["lab"] << ": not checkable here, as this kernel lacks it: " << *reason
                  << "\n";
}

}  // namespace

TEST_CASE("lab: every lab is listed with its text", "[lab]")
{
    auto listed = test::run({probectl_binary(), "lab", "list", "--json"});
    REQUIRE(listed.exit_code == 0);
    const json labs = json::parse(listed.out);
    CHECK(labs.size() == 19);
    for (const auto &lab : labs) {
        const int n = lab["lab"];
        auto shown = test::run({probectl_binary(), "lab", "show", std::to_string(n)});
        INFO("lab " << n << ": " << shown.err);
        CHECK(shown.exit_code == 0);
        CHECK(shown.out.rfind("# Lab " + std::to_string(n) + ": ", 0) == 0);
        CHECK(std::filesystem::exists(test_data_dir() + "/../../" + lab["text"].get<std::string>()));
        // The hook types it uses that this kernel lacks, each with the reason the tests find too.
        for (const auto &missing : lab["missing"]) {
            INFO(missing.dump());
            const auto reason = expected_unsupported_reason(missing["hook"].get<std::string>());
            REQUIRE(reason);
            CHECK(missing["reason"].get<std::string>().find(*reason) != std::string::npos);
        }
        if (n == 8) {  // kretprobe and fexit
            std::vector<std::string> lacked;
            for (const char *hook : {"kretprobe", "fexit"})
                if (expected_unsupported_reason(hook))
                    lacked.emplace_back(hook);
            CHECK(lab["missing"].size() == lacked.size());
        }
    }
}

TEST_CASE("lab 1: hook verdicts agree with the config, tracefs and BTF", "[lab]")
{
    const json result = lab_check(1);
    CHECK(result["observations"].size() == 9);
    check_all_held_except(result, "the kernel config has CONFIG_",
                          config_readable() ? "" : "the kernel config is readable neither");
}

TEST_CASE("lab 2: pt_regs, the raw argument array, the tracepoint's record; ctx's limits at load and at attach",
          "[lab]")
{
    const json result = lab_check(2);
    CHECK(result["observations"].size() == 9);
    check_observations(result, std::nullopt);  // BTF and syscall tracepoints: here and in every matrix kernel
}

TEST_CASE("lab 3: libbpf reads each hook's section as the registry's program type", "[lab]")
{
    const json result = lab_check(3);
    // One per registered hook (libbpf's reading of its section), and one for fentry, fexit and tp_btf's
    // expected attach types.
    CHECK(result["observations"].size() == Registry::instance().all().size() + 1);
    check_observations(result, std::nullopt);
}

TEST_CASE("lab 4: BTF's types, bprm_execve's prototype, linux_binprm's layout", "[lab]")
{
    const json result = lab_check(4);
    CHECK(result["observations"].size() == 4);
    check_observations(result, std::nullopt);  // every kernel here and in the matrix has BTF
}

TEST_CASE("lab 5: CO-RE patches linux_binprm.filename to this kernel's offset", "[lab]")
{
    const json result = lab_check(5);
    CHECK(result["observations"].size() == 2);
    check_observations(result, expected_unsupported_reason("tracepoint"));
}

TEST_CASE("lab 6: open, load, attach and destroy, as the kernel sees them", "[lab]")
{
    const json result = lab_check(6);
    CHECK(result["observations"].size() == 5);
    check_observations(result, expected_unsupported_reason("tracepoint"));
}

TEST_CASE("lab 7: where kprobe, ksyscall and fentry go for do_execve, and what they see", "[lab]")
{
    const json result = lab_check(7);
    REQUIRE(result["observations"].size() == 6);
    // The first four are facts of resolution, checkable everywhere; the last two need the hooks.
    std::optional<std::string> reason;
    for (const char *hook : {"kprobe", "ksyscall", "fentry"})
        if (!reason)
            reason = expected_unsupported_reason(hook);
    for (size_t i = 0; i < 6; i++) {
        const auto &o = result["observations"][i];
        INFO(o.dump());
        if (i >= 4 && reason) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*reason) != std::string::npos);
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
}

TEST_CASE("lab 8: fexit has the file name at return, kretprobe does not", "[lab]")
{
    const json result = lab_check(8);
    CHECK(result["observations"].size() == 3);
    // Needs both kprobes and trampolines; the first one this kernel lacks is the reason given.
    auto reason = expected_unsupported_reason("kretprobe");
    if (!reason)
        reason = expected_unsupported_reason("fexit");
    check_observations(result, reason);
}

TEST_CASE("lab 9: the tracepoint's format, tp_btf's typed context, raw_tp's raw one", "[lab]")
{
    const json result = lab_check(9);
    REQUIRE(result["observations"].size() == 4);
    const auto reason = expected_unsupported_reason("tp_btf");
    for (size_t i = 0; i < 4; i++) {
        const auto &o = result["observations"][i];
        INFO(o.dump());
        if (i >= 2 && reason) {  // the BTF half needs tp_btf
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*reason) != std::string::npos);
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
}

TEST_CASE("lab 10: each read helper reads its own memory and refuses the other", "[lab]")
{
    const json result = lab_check(10);
    REQUIRE(result["observations"].size() == 4);
    const auto user = expected_unsupported_reason("tracepoint"), kernel = expected_unsupported_reason("tp_btf");
    for (size_t i = 0; i < 4; i++) {
        const auto &o = result["observations"][i];
        INFO(o.dump());
        const auto &reason = i < 2 ? user : kernel;  // the syscall's pointer half, then bprm's
        if (reason) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*reason) != std::string::npos);
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
}

TEST_CASE("lab 11: uprobe sees both execve calls, uretprobe only the failing one", "[lab]")
{
    const json result = lab_check(11);
    CHECK(result["observations"].size() == 4);
    check_observations(result, expected_unsupported_reason("uprobe"));
}

TEST_CASE("lab 12: with the kernel's BTF hidden, a minimal BTF from bpftool given with --btf loads CO-RE", "[lab]")
{
    const json result = lab_check(12);
    REQUIRE(result["observations"].size() == 5);
    // The tracepoint half needs tracepoints; the last claim needs tp_btf to work when BTF is there.
    const auto tracepoint = expected_unsupported_reason("tracepoint"),
               tp_btf = expected_unsupported_reason("tp_btf");
    for (size_t i = 0; i < 5; i++) {
        const auto &o = result["observations"][i];
        INFO(o.dump());
        const auto &reason = tracepoint ? tracepoint : (i == 4 ? tp_btf : std::nullopt);
        if (reason) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*reason) != std::string::npos);
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
    const std::string detail = result["observations"][2]["detail"];
    if (!tracepoint)
        CHECK(detail.find("filename '/bin/true'") != std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("lab 13: a stalled ring buffer holds size / record events, and drops are counted exactly", "[lab]")
{
    const json result = lab_check(13);
    CHECK(result["observations"].size() == 4);
    check_all_held_except(result, "", "");
    CHECK(programs_left_after(unload_grace()).empty());
}

namespace {

std::string exercise_source(const std::string &stem, const char *which)
{
    return test_data_dir() + "/../../labs/exercises/" + stem + "." + which + ".bpf.c";
}

// The same, compiled at build time by the rules `probectl lab check` compiles C with (tests/CMakeLists.txt).
std::string exercise_object(const std::string &stem, const char *which)
{
    return exercise_object_dir() + "/" + stem + "." + which + ".bpf.o";
}

// What a check is given: C on a real kernel, where clang runs at full speed; under emulation the
// object built from the same C with the same flags. Compiling is the same clang on the same files
// whatever kernel runs it: the host column (and the sanitizer run) check that step on C; what depends
// on the kernel (the verifier, attaching, what the program sees) is checked on every kernel. Under
// emulation a compile takes about 30 s, and there are ten.
std::string exercise_path(const std::string &stem, const char *which)
{
    return emulated() ? exercise_object(stem, which) : exercise_source(stem, which);
}

test::Finished check_solution(int lab, const std::string &path)
{
    return test::run({probectl_binary(), "lab", "check", std::to_string(lab), "--solution", path, "--json"}, 120s);
}

// Each observation's outcome: "FAILED" for a claim containing one of `failed`, "skipped" for one
// containing one of `skipped`, "held" for the rest; and as many of each as listed.
void check_outcomes(const json &observations, const std::vector<std::string> &failed,
                    const std::vector<std::string> &skipped = {})
{
    size_t failures = 0, skips = 0;
    for (const auto &o : observations) {
        INFO(o.dump());
        const std::string what = o["what"];
        auto any = [&](const std::vector<std::string> &texts) {
            return std::ranges::any_of(texts,
                                       [&](const auto &text) { return what.find(text) != std::string::npos; });
        };
        const char *expected = any(failed) ? "FAILED" : any(skipped) ? "skipped" : "held";
        CHECK(o["outcome"] == expected);
        failures += any(failed);
        skips += !any(failed) && any(skipped);
    }
    CHECK(failures == failed.size());
    CHECK(skips == skipped.size());
}

// The reference solution passes every claim; the starter, as given, fails exactly `starter_fails`
// (by claim text), skips `starter_skips` after them, and holds the rest. Where the hook does not
// work, all of it says so, for that reason.
void check_exercise(int lab, const std::string &stem, const std::string &hook, size_t claims,
                    const std::vector<std::string> &starter_fails,
                    const std::vector<std::string> &starter_skips = {})
{
    const auto reason = expected_unsupported_reason(hook);
    auto solved = check_solution(lab, exercise_path(stem, "solution"));
    INFO("solution: " << solved.out << solved.err);
    REQUIRE(solved.exit_code == (reason ? 7 : 0));
    const json result = json::parse(solved.out);
    REQUIRE(result["observations"].size() == claims);
    check_observations(result, reason);
    if (reason)
        return;
    const std::string compile_detail = result["observations"][0]["detail"];
    if (emulated()) {
        CHECK(compile_detail.find("given compiled: ") != std::string::npos);
    } else {
        CHECK(compile_detail.find(" -target bpf ") != std::string::npos);
        // The object compiled from the same C is judged alike, claim by claim (the detail of the
        // first, the compile step, says which it was given).
        auto object = check_solution(lab, exercise_object(stem, "solution"));
        INFO("solution object: " << object.out << object.err);
        REQUIRE(object.exit_code == 0);
        const json from_object = json::parse(object.out);
        REQUIRE(from_object["observations"].size() == claims);
        CHECK(from_object["observations"][0]["detail"] ==
              "given compiled: " + exercise_object(stem, "solution") + " is a BPF object");
        for (size_t i = 0; i < claims; i++)
            CHECK(from_object["observations"][i]["outcome"] == result["observations"][i]["outcome"]);
    }
    auto started = check_solution(lab, exercise_path(stem, "start"));
    INFO("starter: " << started.out << started.err);
    CHECK(started.exit_code == 14);
    const json start = json::parse(started.out);
    REQUIRE(start["observations"].size() == claims);
    check_outcomes(start["observations"], starter_fails, starter_skips);
    CHECK(programs_left_after(unload_grace()).empty());
}

}  // namespace

TEST_CASE("exercise 5: BPF_CORE_READ through real_parent and bprm; the starter sends zeros", "[lab][exercise]")
{
    check_exercise(5, "05-core", "tp_btf", 7, {"ppid, read through", "filename, read through"});
}

TEST_CASE("exercise 9: a __data_loc string; the starter sends an empty name", "[lab][exercise]")
{
    check_exercise(9, "09-tracepoint-format", "tracepoint", 7, {"ppid holds", "filename, found through"});
}

TEST_CASE("exercise 10: bpf_probe_read_user_str; the starter's kernel read gets nothing", "[lab][exercise]")
{
    check_exercise(10, "10-user-memory", "tracepoint", 6, {"filename, read from the caller's memory"});
}

TEST_CASE("exercise 11: a uprobe and a uretprobe on libc's execve; the starter's section names no function",
          "[lab][exercise]")
{
    check_exercise(11, "11-uretprobe", "uretprobe", 7, {"its programs are at the hook"},
                   {"the verifier accepts", "libbpf attaches every program",
                    "it sends one record for each failing", "filename is the name", "retval is -1"});
}

TEST_CASE("lab 14: openat through every hook type here; libc's miss the raw syscall(2)", "[lab]")
{
    const json result = lab_check(14);
    REQUIRE(result["observations"].size() == 4);
    // tracepoint and raw_tp are on every kernel of the matrix, and uprobe and uretprobe too: each
    // claim has hooks to judge it; where a hook type is missing, the others still make the claim.
    for (const auto &o : result["observations"]) {
        INFO(o.dump());
        CHECK(o["outcome"] == "held");
    }
}

TEST_CASE("exercise 14: openat alone at raw_tp sys_enter; the starter sends every syscall, empty",
          "[lab][exercise]")
{
    check_exercise(14, "14-sys-enter", "raw_tp", 7, {"it sends one record for each"},
                   {"each record's filename", "each record's retval"});
}

TEST_CASE("exercise: a solution that does not compile, leaks a ring buffer record or is no BPF object fails there",
          "[lab][exercise]")
{
    if (const auto reason = expected_unsupported_reason("tracepoint")) {
        std::cout << "exercise errors: not checkable here: " << *reason << "\n";
        return;
    }
    // A program that leaks a ring buffer record: the verifier's refusal depends on the kernel,
    // checked on every one (compiled at build time under emulation, as above).
    const std::string leak_source = test_data_dir() + "/exercise-leak.bpf.c";
    auto leak = check_solution(9, emulated() ? exercise_object_dir() + "/exercise-leak.bpf.o" : leak_source);
    CHECK(leak.exit_code == 14);
    const json l = json::parse(leak.out);
    CHECK(l["observations"][0]["outcome"] == "held");
    CHECK(l["observations"][1]["outcome"] == "held");  // at the exercise's hook
    CHECK(l["observations"][2]["outcome"] == "FAILED");
    // "Unreleased reference id=2 alloc_insn=5" (5.10) or "... would lead to reference leak" (6.x)
    CHECK(l["observations"][2]["detail"].get<std::string>().find(" reference") != std::string::npos);
    CHECK(l["observations"][2]["detail"].get<std::string>().ends_with(
        "(probectl -v lab check ... shows its whole log)"));
    CHECK(l["observations"][3]["outcome"] == "skipped");
    if (emulated()) {
        // clang's error is clang's alone, the same on every kernel: checked where clang runs natively.
        std::cout << "exercise errors: a solution that does not compile is checked on the host, not under "
                     "emulation (clang's error does not depend on the kernel)\n";
        return;
    }
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("probectl-test-exercise-" + std::to_string(getpid()))).string();
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/broken.bpf.c") << "#include \"exercise.bpf.h\"\nSEC(\"tp/sched/sched_process_exec\")\n"
                                            "int f(void *ctx) { return nope; }\n";
    auto broken = check_solution(9, dir + "/broken.bpf.c");
    std::filesystem::remove_all(dir);
    CHECK(broken.exit_code == 14);
    const json b = json::parse(broken.out);
    CHECK(b["observations"][0]["outcome"] == "FAILED");
    CHECK(b["observations"][0]["detail"].get<std::string>().find("undeclared identifier 'nope'") !=
          std::string::npos);
    // An object for another machine is not taken for C, nor loaded.
    auto foreign = check_solution(9, "/bin/true");
    CHECK(foreign.exit_code == 14);
    const json f = json::parse(foreign.out);
    CHECK(f["observations"][0]["outcome"] == "FAILED");
    CHECK(f["observations"][0]["detail"] == "/bin/true is an object for another machine, not BPF: compile it with "
                                            "clang -target bpf, or give the .bpf.c");
    CHECK(f["observations"][1]["outcome"] == "skipped");
    CHECK(f["observations"][1]["detail"] == "not tried: it is not a BPF object");
}

namespace {

// A wrong answer of tests/data/ (compiled at build time under emulation, as the exercises are).
std::string wrong_answer(const std::string &name)
{
    return emulated() ? exercise_object_dir() + "/" + name + ".bpf.o" : test_data_dir() + "/" + name + ".bpf.c";
}

struct WrongAnswer {
    int lab;
    const char *file;                  // tests/data/<file>.bpf.c
    const char *hook;                  // the hook type the check needs here
    std::vector<std::string> failed;   // the claims it must fail (by text)
    std::vector<std::string> skipped;  // those skipped after
    std::string teaches;               // in the first failed claim's detail
};

}  // namespace

TEST_CASE("exercise: programs that send constants, or sit at another hook, fail with what to do",
          "[lab][exercise]")
{
    const std::vector<std::string> after_the_hook{"the verifier accepts", "libbpf attaches every program",
                                                  "it sends one record"};
    auto skipped_after_hook = [&](std::vector<std::string> claims) {
        claims.insert(claims.begin(), after_the_hook.begin(), after_the_hook.end());
        return claims;
    };
    const std::vector<WrongAnswer> answers{
        {5,
         "exercise-constants-5",
         "tp_btf",
         {"ppid, read through", "filename, read through"},
         {},
         "read the parent's tgid through task->real_parent"},
        {5,
         "exercise-constants-9",
         "tp_btf",
         {"its programs are at the hook"},
         skipped_after_hook({"ppid, read through", "filename, read through"}),
         "SEC(\"tp/sched/sched_process_exec\") is not at the exercise's hook: it asks for a tp_btf program "
         "on sched_process_exec"},
        {9,
         "exercise-constants-9",
         "tracepoint",
         {"ppid holds", "filename, found through"},
         {},
         "a thread's exec has old_pid = that thread's id, not the pid"},
        {9,
         "exercise-constants-5",
         "tracepoint",
         {"its programs are at the hook"},
         skipped_after_hook({"ppid holds", "filename, found through"}),
         "it asks for a tracepoint program on sched/sched_process_exec"},
        {10,
         "exercise-constants-10",
         "tracepoint",
         {"filename, read from the caller's memory"},
         {},
         "the names are drawn anew for every check"},
        {10,
         "exercise-constants-14",
         "tracepoint",
         {"its programs are at the hook"},
         skipped_after_hook({"filename, read from the caller's memory"}),
         "it asks for a tracepoint program on syscalls/sys_enter_execve"},
        {11,
         "exercise-constants-11",
         "uretprobe",
         {"filename is the name"},
         {},
         "save the name's pointer at the uprobe"},
        {11,
         "exercise-wrong-hook-11",
         "uretprobe",
         {"its programs are at the hook"},
         skipped_after_hook({"filename is the name", "retval is -1"}),
         "only a return probe of libc's execve sees what it returned"},
        {14,
         "exercise-constants-14",
         "raw_tp",
         {"each record's filename", "each record's retval"},
         {},
         "the name is openat's second argument"},
        {14,
         "exercise-constants-10",
         "raw_tp",
         {"its programs are at the hook"},
         skipped_after_hook({"each record's filename", "each record's retval"}),
         "it asks for a raw_tp program on sys_enter"},
    };
    for (const auto &answer : answers) {
        INFO("lab " << answer.lab << " given " << answer.file);
        if (const auto reason = expected_unsupported_reason(answer.hook)) {
            std::cout << "exercise " << answer.lab << " given " << answer.file
                      << ": not checkable here: " << *reason << "\n";
            continue;
        }
        const auto checked = check_solution(answer.lab, wrong_answer(answer.file));
        INFO(checked.out << checked.err);
        CHECK(checked.exit_code == 14);
        const json result = json::parse(checked.out);
        check_outcomes(result["observations"], answer.failed, answer.skipped);
        for (const auto &o : result["observations"])
            if (o["outcome"] == "FAILED") {
                CHECK(o["detail"].get<std::string>().find(answer.teaches) != std::string::npos);
                break;
            }
    }
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("lab 15: an object's sections, two programs in one, the skeleton's fields, the license", "[lab]")
{
    const json result = lab_check(15);
    CHECK(result["observations"].size() == 4);
    // The object's facts hold everywhere; the license's verdict needs tracepoint programs to load.
    check_all_held_except(result, "GPL-only helper", expected_unsupported_reason("tracepoint").value_or(""));
}

TEST_CASE("lab 16: the bpf() calls of a load, in order: BTF, maps with type ids, programs with func and line info",
          "[lab]")
{
    const json result = lab_check(16);
    CHECK(result["observations"].size() == 5);
    // Every claim needs tracepoint programs: here and in every matrix kernel.
    check_all_held_except(result, "", "");
    CHECK(programs_left_after(unload_grace(), "lab_").empty());
}

TEST_CASE("lab 17: CO-RE against an offset fixed at build time; an object built without -g", "[lab]")
{
    const json result = lab_check(17);
    CHECK(result["observations"].size() == 6);
    // The reads need raw_tp programs: here and in every matrix kernel.
    check_all_held_except(result, "", "");
    for (const auto &o : result["observations"])
        if (o["what"].get<std::string>().starts_with("the offset fixed"))
            std::cout << "lab 17 on this kernel: " << o["detail"].get<std::string>() << "\n";
    CHECK(programs_left_after(unload_grace(), "lab_").empty());
}

TEST_CASE("lab 18: a kfunc by hook type, its reference, strong and weak declarations", "[lab]")
{
    const json result = lab_check(18);
    REQUIRE(result["observations"].size() == 5);
    // What the kernel has decides which claims apply: 6.2 and later have bpf_task_from_pid.
    const bool has_kfunc =
        result["observations"][4]["detail"].get<std::string>().starts_with("the kernel's BTF has");
    for (const auto &o : result["observations"]) {
        INFO(o.dump());
        const std::string what = o["what"], detail = o["detail"];
        if (o["outcome"] == "held")
            continue;
        REQUIRE(o["outcome"] == "cannot check here");
        if (what.starts_with("declared strong"))
            CHECK(has_kfunc);
        else if (what.find("fentry") != std::string::npos && has_kfunc)
            CHECK(detail.find(expected_unsupported_reason("fentry").value_or("fentry works here")) !=
                  std::string::npos);
        else
            CHECK(detail.find("this kernel has no kfunc bpf_task_from_pid") != std::string::npos);
    }
    CHECK(programs_left_after(unload_grace(), "lab_").empty());
}

TEST_CASE("lab 19: bpftool perf show and link list while attached; the nop at an fentry call site", "[lab]")
{
    const json result = lab_check(19);
    CHECK(result["observations"].size() == 6);
    // kprobes and fentry are what some kernels lack; the rest holds on every matrix kernel.
    for (const auto &o : result["observations"]) {
        INFO(o.dump());
        const std::string what = o["what"];
        if (what.find("kprobe") != std::string::npos && expected_unsupported_reason("kprobe")) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*expected_unsupported_reason("kprobe")) !=
                  std::string::npos);
        } else if (what.find("fentry") != std::string::npos && expected_unsupported_reason("fentry")) {
            CHECK(o["outcome"] == "cannot check here");
            CHECK(o["detail"].get<std::string>().find(*expected_unsupported_reason("fentry")) !=
                  std::string::npos);
        } else {
            CHECK(o["outcome"] == "held");
        }
    }
    CHECK(programs_left_after(unload_grace(), "lab_").empty());
}
