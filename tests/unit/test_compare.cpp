// The compare engine on recorded event streams: correlation (events out of order across CPUs,
// events of no exec), the causes of absences, inferred execs for a user's command, field
// disagreements, the recording format, and the renderers' handling of hostile strings.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "cli/exit_codes.h"
#include "compare/causes.h"
#include "compare/correlate.h"
#include "compare/render.h"
#include "compare/report.h"
#include "compare/workload.h"
#include "probes/event.h"
#include "tests/support/folded_text.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::compare;

namespace {

HookRun hook(std::uint32_t id, std::string name, ExecPhase phase, TargetKind kind, std::string attach_point,
             std::string entry_call = "")
{
    HookRun run;
    run.id = id;
    run.name = std::move(name);
    run.phase = phase;
    run.kind = kind;
    run.attached = true;
    run.attach_point = std::move(attach_point);
    run.entry_call = std::move(entry_call);
    return run;
}

std::vector<HookRun> four_hooks()
{
    return {
        hook(PCTL_HOOK_TRACEPOINT, "tracepoint", ExecPhase::before_exec, TargetKind::tracepoint,
             "syscalls:sys_enter_execve", "execve"),
        hook(PCTL_HOOK_FEXIT, "fexit", ExecPhase::on_return, TargetKind::kernel_function, "bprm_execve"),
        hook(PCTL_HOOK_TP_BTF, "tp_btf", ExecPhase::after_exec, TargetKind::raw_tracepoint, "sched_process_exec"),
        hook(PCTL_HOOK_URETPROBE, "uretprobe", ExecPhase::on_return, TargetKind::user_function,
             "/lib/libc.so.6:execve", "execve")};
}

ExecEvent event(std::uint32_t hook, std::uint64_t ns, std::uint32_t tgid, std::uint32_t cpu = 0)
{
    ExecEvent e;
    e.hook = hook;
    e.ktime_ns = ns;
    e.tgid = tgid;
    e.pid = tgid;
    e.cpu = cpu;
    e.comm = "pctl-cmp-1";
    return e;
}

KnownExec known(std::string id, std::uint32_t tgid, std::uint64_t start, std::uint64_t end, int error)
{
    KnownExec exec;
    exec.id = std::move(id);
    exec.scenario = "test";
    exec.tgid = tgid;
    exec.tid = tgid;
    exec.start_ns = start;
    exec.end_ns = end;
    exec.syscall = "execve";
    exec.path = "/bin/true";
    exec.argv = {"true"};
    exec.error = error;
    return exec;
}

// A failed exec (100: ENOENT) then a successful one (100 again, its next attempt), and another
// process's exec; the events shuffled as ring buffers of several CPUs would hand them over.
Recording two_attempts()
{
    Recording recording;
    recording.kernel = "test";
    recording.workload = "test";
    recording.hooks = four_hooks();
    recording.execs = {known("8a", 100, 1000, 2000, ENOENT), known("8b", 100, 2000, 9000, 0)};
    auto add = [&](std::uint32_t h, std::uint64_t ns, std::uint32_t tgid, std::optional<std::int64_t> ret = {}) {
        auto e = event(h, ns, tgid, static_cast<std::uint32_t>(ns % 2));
        e.retval = ret;
        recording.events.push_back(e);
    };
    add(PCTL_HOOK_TRACEPOINT, 1100, 100);
    add(PCTL_HOOK_FEXIT, 1200, 100, -ENOENT);
    add(PCTL_HOOK_URETPROBE, 1300, 100, -1);
    add(PCTL_HOOK_TRACEPOINT, 2100, 100);
    add(PCTL_HOOK_TP_BTF, 2500, 100);
    add(PCTL_HOOK_FEXIT, 2600, 100, 0);
    add(PCTL_HOOK_TRACEPOINT, 2200, 555);  // another process: no exec of the workload
    add(PCTL_HOOK_TRACEPOINT, 9500, 100);  // after the process ended
    std::mt19937 shuffle_with(42);
    std::shuffle(recording.events.begin(), recording.events.end(), shuffle_with);
    return recording;
}

const CoverageCell &cell(const Report &report, const std::string &exec, const std::string &hook)
{
    const auto e = std::find_if(report.execs.begin(), report.execs.end(),
                                [&](const ExecReport &r) { return r.exec.id == exec; });
    REQUIRE(e != report.execs.end());
    for (size_t i = 0; i < report.hooks.size(); i++)
        if (report.hooks[i].run.name == hook)
            return e->coverage[i];
    FAIL("no hook " << hook);
    return e->coverage[0];
}

}  // namespace

TEST_CASE("correlate: events out of order across CPUs go to their exec in time order", "[compare]")
{
    const Recording recording = two_attempts();
    const Correlation correlation = correlate(recording);
    REQUIRE(correlation.execs.size() == 2);
    auto times = [&](size_t exec) {
        std::vector<std::uint64_t> out;
        for (size_t index : correlation.events_of[exec])
            out.push_back(recording.events[index].ktime_ns);
        return out;
    };
    CHECK(times(0) == std::vector<std::uint64_t>{1100, 1200, 1300});
    CHECK(times(1) == std::vector<std::uint64_t>{2100, 2500, 2600});
    REQUIRE(correlation.unexplained.size() == 2);
    CHECK(recording.events[correlation.unexplained[0]].tgid == 555);
    CHECK(recording.events[correlation.unexplained[1]].ktime_ns == 9500);
}

TEST_CASE("report: coverage with a cause for every absence", "[compare]")
{
    const Report report = build_report(two_attempts());
    CHECK(cell(report, "8a", "tracepoint").count == 1);
    CHECK(cell(report, "8a", "tp_btf").count == 0);
    CHECK(cell(report, "8a", "tp_btf").cause ==
          "post-exec hook: a failed exec (ENOENT) never reaches sched_process_exec");
    CHECK(cell(report, "8b", "uretprobe").count == 0);
    CHECK(cell(report, "8b", "uretprobe").cause ==
          "uretprobe fires only when execve returns, i.e. when it fails: a successful exec never returns");
    CHECK(report.unknown_causes == 0);
    CHECK(report.unexplained.size() == 2);
    REQUIRE(report.typical_order.size() == 2);
    CHECK(report.typical_order[0].execs == 1);
    const auto &hooks = report.hooks;
    CHECK(hooks[0].events == 4);  // tracepoint: two of its events belong to no exec
    CHECK(hooks[0].explained == 2);
    CHECK(hooks[0].execs_seen == 2);
}

TEST_CASE("report: an absence probectl cannot explain is counted, not hidden", "[compare]")
{
    Recording recording = two_attempts();
    recording.events.erase(
        std::remove_if(recording.events.begin(), recording.events.end(),
                       [](const ExecEvent &e) { return e.hook == PCTL_HOOK_TRACEPOINT && e.ktime_ns == 2100; }),
        recording.events.end());
    const Report report = build_report(recording);
    CHECK(cell(report, "8b", "tracepoint").count == 0);
    CHECK(cell(report, "8b", "tracepoint").cause.empty());
    CHECK(report.unknown_causes == 1);
    CHECK_THAT(render_text(report, {}), Catch::Contains("probectl cannot say why (unexplained)"));
    CHECK_THAT(render_html(report), Catch::Contains("class=\"c unknown\""));
}

TEST_CASE("causes: each absence in words", "[compare]")
{
    const auto hooks = four_hooks();
    KnownExec fexecve = known("4", 1, 0, 10, 0);
    fexecve.syscall = "execveat";
    CHECK(absence_cause(hooks[0], fexecve, "execve") ==
          "attached to execve (syscalls:sys_enter_execve); this exec called "
          "execveat, which does not pass through it");
    CHECK(absence_cause(hooks[1], known("2a", 1, 0, 10, ENOENT), "execve") ==
          "the exec failed (ENOENT) before it reached bprm_execve");
    HookRun absent = hooks[1];
    absent.attached = false;
    absent.not_attached =
        "not supported on this kernel: loading a tracing program is not permitted on this kernel (EPERM)";
    CHECK(absence_cause(absent, known("1", 1, 0, 10, 0), "execve") == "not attached: " + absent.not_attached);
    HookRun lossy = hooks[0];
    lossy.dropped = 3;
    CHECK(absence_cause(lossy, known("1", 1, 0, 10, 0), "execve") ==
          "lost: the ring buffer was full (3 of its events dropped)");
    CHECK(absence_cause(hooks[0], known("1", 1, 0, 10, 0), "execve").empty());
    // A run the kernel skipped (bpf_prog_info's recursion_misses), at a syscall's call too.
    HookRun skipping = hooks[0];
    skipping.recursion_misses = 5;
    CHECK(absence_cause(skipping, known("3", 1, 0, 10, 0), "connect") ==
          "missed: the kernel skipped the program 5 time(s), each when it began on a CPU where a run of it was "
          "still in progress (recursion_misses)");
    skipping.recursion_misses = 0;
    CHECK(absence_cause(skipping, known("3", 1, 0, 10, 0), "connect").empty());
    CHECK(errno_name(EACCES) == "EACCES");
}

TEST_CASE("report: fields where hooks disagree, side by side, with truncation flagged", "[compare]")
{
    Recording recording = two_attempts();
    for (auto &e : recording.events) {
        if (e.hook == PCTL_HOOK_TP_BTF) {
            e.comm = "true";
            e.argv = std::vector<std::string>{"/bin/sh", "/tmp/s.sh", "a"};
            e.argv_truncated = true;
        }
        if (e.hook == PCTL_HOOK_TRACEPOINT)
            e.argv = std::vector<std::string>{"s.sh", "a"};
    }
    const Report report = build_report(recording);
    const ExecReport &success = report.execs[1];
    auto field = [&](const std::string &name) {
        auto it = std::find_if(success.fields.begin(), success.fields.end(),
                               [&](const FieldComparison &f) { return f.field == name; });
        REQUIRE(it != success.fields.end());
        return *it;
    };
    CHECK_FALSE(field("comm").agree);
    CHECK_FALSE(field("argv").agree);
    CHECK(field("pid").agree);
    const auto groups = value_groups(field("argv"));
    REQUIRE(groups.size() == 2);
    CHECK(groups[0] == std::pair<std::string, std::vector<std::string>>{"s.sh a", {"tracepoint"}});
    CHECK(groups[1] ==
          std::pair<std::string, std::vector<std::string>>{"/bin/sh /tmp/s.sh a [truncated]", {"tp_btf"}});
    CHECK(success.truncated_by == std::vector<std::string>{"tp_btf"});
}

TEST_CASE("correlate: a command's execs are inferred from the events", "[compare]")
{
    Recording recording;
    recording.execs_known = false;
    recording.hooks = four_hooks();
    auto add = [&](std::uint32_t h, std::uint64_t ns, std::uint32_t tgid, std::string filename,
                   std::optional<std::int64_t> ret = {}) {
        auto e = event(h, ns, tgid);
        e.filename = std::move(filename);
        e.retval = ret;
        recording.events.push_back(e);
    };
    // Process 7: sh exec'd, then it exec'd ls; process 8: a failed exec.
    add(PCTL_HOOK_TRACEPOINT, 10, 7, "/bin/sh");
    add(PCTL_HOOK_TP_BTF, 20, 7, "/bin/sh");
    add(PCTL_HOOK_FEXIT, 30, 7, "/bin/sh", 0);
    add(PCTL_HOOK_TRACEPOINT, 40, 7, "/bin/ls");
    add(PCTL_HOOK_TP_BTF, 50, 7, "/bin/ls");
    add(PCTL_HOOK_TRACEPOINT, 45, 8, "/nope");
    add(PCTL_HOOK_FEXIT, 46, 8, "/nope", -ENOENT);
    add(PCTL_HOOK_URETPROBE, 47, 8, "", -1);
    const Correlation correlation = correlate(recording);
    REQUIRE(correlation.execs.size() == 3);
    CHECK(correlation.execs[0].path == "/bin/sh");
    CHECK(correlation.execs[0].error == 0);
    CHECK(correlation.execs[1].path == "/bin/ls");
    CHECK(correlation.execs[1].error == 0);  // a post-exec hook saw it
    CHECK(correlation.execs[2].path == "/nope");
    CHECK(correlation.execs[2].error == ENOENT);
    CHECK(correlation.events_of[1].size() == 2);
    CHECK(correlation.unexplained.empty());
    const Report report = build_report(recording);
    CHECK(cell(report, "#2", "fexit").cause.empty());  // it ran out of events: said, not guessed
    CHECK(cell(report, "#3", "tp_btf").cause ==
          "post-exec hook: a failed exec (ENOENT) never reaches sched_process_exec");
}

TEST_CASE("correlate: a command's PATH search is marked, libc's -1 alone is a failure of unknown errno",
          "[compare]")
{
    Recording recording;
    recording.execs_known = false;
    recording.hooks = four_hooks();
    auto add = [&](std::uint32_t h, std::uint64_t ns, std::string filename, std::optional<std::int64_t> ret = {}) {
        auto e = event(h, ns, 7);
        e.filename = std::move(filename);
        e.retval = ret;
        recording.events.push_back(e);
    };
    // A shell looks for "true" in two folders: a miss that only libc's return saw fail, then the exec.
    add(PCTL_HOOK_TRACEPOINT, 10, "/usr/local/bin/true");
    add(PCTL_HOOK_URETPROBE, 11, "", -1);
    add(PCTL_HOOK_TRACEPOINT, 20, "/usr/bin/true");
    add(PCTL_HOOK_TP_BTF, 21, "/usr/bin/true");
    add(PCTL_HOOK_TRACEPOINT, 30, "/usr/bin/env");  // another program: no search for it
    add(PCTL_HOOK_URETPROBE, 31, "", -1);
    add(PCTL_HOOK_TRACEPOINT, 40, "/usr/bin/env");      // the same path again: a retry, not a PATH search
    add(PCTL_HOOK_TRACEPOINT, 50, "/tmp/\x1b[31mred");  // a name of the traced program's choosing
    const Report report = build_report(recording);
    REQUIRE(report.execs.size() == 5);
    CHECK(report.execs[0].exec.scenario == "path-search");
    CHECK(report.execs[0].exec.error == kErrnoUnknown);
    CHECK(exec_label(report.execs[0].exec) == "#1 true (PATH)");
    CHECK(outcome_text(report.execs[0].exec) == "failed");
    CHECK(exec_label(report.execs[1].exec) == "#2 true");
    CHECK(outcome_text(report.execs[1].exec) == "ok");
    CHECK(exec_label(report.execs[2].exec) == "#3 env");  // failed, then retried: no PATH search
    CHECK(report.execs[2].exec.scenario == "observed");
    CHECK(exec_label(report.execs[4].exec) == "#5 \\x1b[31mred");  // escaped, as every value shown
    CHECK(cell(report, "#1", "tp_btf").cause ==
          "post-exec hook: a failed exec (errno unknown) never reaches sched_process_exec");
    CHECK(report_to_json(report)["execs"][0]["errno_name"].is_null());
}

TEST_CASE("fields: a difference the exec itself makes is said to be expected, and why", "[compare]")
{
    Recording recording = two_attempts();
    for (auto &e : recording.events)
        if (e.hook == PCTL_HOOK_TP_BTF)
            e.comm = "true";  // after the exec: the new program's name
    const Report report = build_report(recording);
    const ExecReport &succeeded = report.execs[1];
    const auto comm = std::ranges::find(succeeded.fields, "comm", &FieldComparison::field);
    REQUIRE(comm != succeeded.fields.end());
    CHECK_FALSE(comm->agree);
    CHECK(comm->expected ==
          "expected: the exec gives the task the new program's name, which the hooks after it see");
    for (const auto &field : report_to_json(report)["execs"][1]["fields"])
        if (field["field"] == "comm")
            CHECK(field["expected"] == comm->expected);
    CHECK_THAT(render_html(report), Catch::Contains("<td rowspan=\"2\">expected: the exec gives the task"));
    CHECK_THAT(probectl::test::unfolded(render_text(report, {})),
               Catch::Contains("comm expected: the exec gives the task the new program's name"));

    // the same field differing among the hooks before the exec is no such thing
    ExecEvent other = *std::ranges::find(recording.events, std::uint64_t{2100}, &ExecEvent::ktime_ns);
    other.ktime_ns = 2150;
    other.comm = "other";
    recording.events.push_back(other);
    const Report mixed = build_report(recording);
    const auto unexplained = std::ranges::find(mixed.execs[1].fields, "comm", &FieldComparison::field);
    REQUIRE(unexplained != mixed.execs[1].fields.end());
    CHECK(unexplained->expected.empty());
}

TEST_CASE("recording: JSON round trip keeps every byte, including invalid UTF-8", "[compare]")
{
    Recording recording = two_attempts();
    recording.events[0].filename = std::string("/tmp/\xff\x1b[31mevil", 14);
    recording.events[0].argv = std::vector<std::string>{"a\x80", "b"};
    recording.events[0].old_pid = 17;
    recording.hooks[0].run_count = 5;
    recording.hooks[0].recursion_misses = 0;
    auto back = recording_from_json(to_json(recording));
    REQUIRE(back);
    CHECK(to_json(*back) == to_json(recording));
    CHECK(back->events[0].filename == recording.events[0].filename);
    CHECK(back->events[0].argv == recording.events[0].argv);
    CHECK(back->hooks[1].phase == ExecPhase::on_return);
    CHECK(back->execs[0].error == ENOENT);
}

TEST_CASE("recording: a file that is not a recording is one error with a hint", "[compare]")
{
    auto wrong = recording_from_json(nlohmann::json{{"hello", 1}});
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().kind == ErrorKind::bad_file);
    CHECK_THAT(wrong.error().one_line(), Catch::Contains("not a probectl recording") &&
                                             Catch::Contains("record one with probectl compare --record FILE"));
    auto json = to_json(two_attempts());
    json["events"][0].erase("ktime_ns");
    auto broken = recording_from_json(json);
    REQUIRE_FALSE(broken);
    CHECK_THAT(broken.error().message, Catch::Contains("event"));
    auto missing = read_recording("/nonexistent/recording.json");
    REQUIRE_FALSE(missing);
    CHECK(exit_code(missing.error()) == 11);
}

// Found by tests/fuzz/fuzz_compare: with a hook listed twice, the report credited both entries with
// the events matched to an exec but counted them for the first only (explained > events).
TEST_CASE("recording: a hook listed twice is refused", "[compare][fuzz-regression]")
{
    auto json = to_json(two_attempts());
    json["hooks"].push_back(json["hooks"][0]);
    auto twice = recording_from_json(json);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().kind == ErrorKind::bad_file);
    CHECK_THAT(twice.error().message, Catch::Contains("is listed twice"));
}

// Found by tests/fuzz/fuzz_replay: nlohmann's get<std::uint64_t>() of 4.2e98 is a float-to-integer
// cast out of range, undefined behaviour (UBSan stopped on it); -1 would have wrapped silently.
TEST_CASE("recording: a number that is not an integer in range is refused", "[compare][fuzz-regression]")
{
    for (const nlohmann::json &bad : {nlohmann::json(4.2221e98), nlohmann::json(-1), nlohmann::json(1.5)}) {
        auto json = to_json(two_attempts());
        json["hooks"][0]["emitted"] = bad;
        auto refused = recording_from_json(json);
        INFO(bad.dump());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ErrorKind::bad_file);
        CHECK_THAT(refused.error().message,
                   Catch::Contains("\"emitted\" is") && Catch::Contains("not an integer in range"));
    }
    auto json = to_json(two_attempts());
    json["events"][0]["pid"] = 5000000000;  // wider than a pid
    CHECK_FALSE(recording_from_json(json));
}

TEST_CASE("renderers: hostile strings never reach the terminal, the page or the table raw", "[compare]")
{
    Recording recording = two_attempts();
    for (auto &e : recording.events)
        if (e.hook == PCTL_HOOK_TP_BTF) {
            e.comm = "\x1b]0;owned\x07<b>|x";
            e.filename = "/tmp/\xe2\x80\xae<script>alert(1)</script>";
            e.argv = std::vector<std::string>{"true"};
        } else {
            e.filename = "/bin/true";  // so that the filenames disagree and are shown side by side
            e.argv = std::vector<std::string>{"true", std::string(300, 'x') + "\xe2\x82\xac"};
        }
    const Report report = build_report(recording);
    const std::string text = render_text(report, {});
    // 80 columns however long a value: an argv is cut after three lines, saying how much is left out
    CHECK_THAT(probectl::test::unfolded(text), Catch::Contains(" ... (+"));
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find("\xe2\x80\xae") == std::string::npos);
    CHECK_THAT(text, Catch::Contains("\\x1b]0;owned\\x07"));
    const std::string page = render_html(report);
    CHECK(page.find("<script>alert") == std::string::npos);
    CHECK_THAT(page, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    const std::string markdown = render_markdown(report);
    CHECK_THAT(markdown, Catch::Contains("\\<b\\>\\|x"));
    CHECK(render_text(report, {true}).find("\x1b[32myes") != std::string::npos);  // colour only when asked
    const auto json = report_to_json(report);
    CHECK_NOTHROW(json.dump());
}

TEST_CASE("scenarios: numbers, names, all, and a one-line error", "[compare]")
{
    CHECK(parse_scenarios("execve", "all")->size() == 8);
    CHECK(*parse_scenarios("execve", "1,thread,2,1") == std::vector<int>{1, 5, 2});
    auto bad = parse_scenarios("execve", "1,9");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == ErrorKind::usage);
    CHECK_THAT(bad.error().one_line(), Catch::Contains("no scenario '9'") && Catch::Contains("path-search"));
    // a built-in syscall's four, by their own names
    CHECK(*parse_scenarios("connect", "refused,raw") == std::vector<int>{2, 4});
    auto wrong = parse_scenarios("openat", "path-search");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().one_line() ==
          "--scenarios: openat has no scenario 'path-search'. Hint: give numbers 1-4 or "
          "names (success, enoent, thread, raw), separated by commas, or all");
    auto none = parse_scenarios("read", "all");
    REQUIRE_FALSE(none);
    CHECK(none.error().one_line() ==
          "probectl has no built-in scenarios for read. Hint: give a command that calls "
          "it: probectl compare --event read -- CMD ARGS");
}

TEST_CASE("recorded on Debian's 5.10 under qemu: all ten hooks, every exec explained", "[compare]")
{
    auto recording = read_recording(probectl::test::test_data_dir() + "/compare/kernel-5.10.json");
    REQUIRE(recording);
    const Report report = build_report(*recording);
    REQUIRE(report.hooks.size() == 10);
    for (const auto &hook : report.hooks) {
        INFO(hook.run.name);
        CHECK(hook.run.attached);
        CHECK(hook.explained == hook.events);
    }
    CHECK(report.execs.size() == 11);
    CHECK(report.unknown_causes == 0);
    CHECK(report.unexplained.empty());
    // 5.10's bprm_execve opens the file itself: kernel-function hooks see the failed opens.
    CHECK(cell(report, "2a", "kprobe").count == 1);
    CHECK(cell(report, "2b", "fexit").count == 1);
    CHECK(cell(report, "4", "ksyscall").cause ==
          "attached to execve (execve); this exec called execveat, which does not pass through it");
    CHECK(report.typical_order.front().hooks == std::vector<std::string>{"uprobe", "tracepoint", "ksyscall",
                                                                         "kprobe", "fentry", "tp_btf", "raw_tp",
                                                                         "fexit", "kretprobe"});
    // The same report from the same recording, every time.
    CHECK(report_to_json(build_report(*recording)) == report_to_json(report));
}

TEST_CASE("recorded on this project's 6.18: five hooks absent for the kernel's reasons", "[compare]")
{
    auto recording = read_recording(probectl::test::test_data_dir() + "/compare/kernel-6.18.json");
    REQUIRE(recording);
    const Report report = build_report(*recording);
    CHECK(cell(report, "1", "kprobe").cause ==
          "not attached: not supported on this kernel: kernel built without CONFIG_KPROBES");
    CHECK(cell(report, "2a", "raw_tp").cause ==
          "post-exec hook: a failed exec (ENOENT) never reaches sched_process_exec");
    CHECK(report.unknown_causes == 0);
    const std::string text = probectl::test::unfolded(render_text(report, {}));  // and each line within 80
    CHECK_THAT(text, Catch::Contains("fentry        not attached: not supported on this kernel: loading a tracing "
                                     "program is not permitted on this kernel (EPERM)"));
}
