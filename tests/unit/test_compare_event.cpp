// The compare engine on a syscall's calls (compare --event): libc's wrapper passed by a raw
// syscall(2), the arguments compared by the names the kernel gives them, libc's return value against
// the kernel's, calls inferred per thread for a user's command, and the recording of it all.
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>

#include "compare/recording.h"
#include "compare/render.h"
#include "compare/report.h"
#include "probes/event.h"

using namespace probectl;
using namespace probectl::compare;

namespace {

ValueField field(std::string name, ValueType type, std::uint32_t width, std::uint32_t where)
{
    return {std::move(name), type == ValueType::signed_int ? "int" : "const char *", type, width, where};
}

// openat's arguments, as every hook's description names them
ValueList openat_arguments()
{
    ValueList values;
    values.source = "tracefs format of syscalls:sys_enter_openat";
    values.fields = {field("dfd", ValueType::signed_int, 4, 0), field("filename", ValueType::user_string, 8, 1)};
    return values;
}

ValueList return_value(std::uint32_t width)
{
    ValueList values;
    values.source = "the return value";
    values.ret = field("ret", ValueType::signed_int, width, 0);
    return values;
}

HookRun described_hook(std::uint32_t id, std::string name, ExecPhase phase, TargetKind kind, ValueList values,
                       std::string entry_call = "")
{
    HookRun run;
    run.id = id;
    run.name = std::move(name);
    run.phase = phase;
    run.kind = kind;
    run.attached = true;
    run.attach_point = run.name + "'s point";
    run.entry_call = std::move(entry_call);
    run.values = std::move(values);
    return run;
}

std::vector<HookRun> openat_hooks()
{
    return {described_hook(PCTL_HOOK_TRACEPOINT, "tracepoint", ExecPhase::before_exec, TargetKind::tracepoint,
                           openat_arguments(), "openat"),
            described_hook(PCTL_HOOK_UPROBE, "uprobe", ExecPhase::before_exec, TargetKind::user_function,
                           openat_arguments(), "openat"),
            described_hook(PCTL_HOOK_KRETPROBE, "kretprobe", ExecPhase::on_return, TargetKind::kernel_function,
                           return_value(8)),
            described_hook(PCTL_HOOK_URETPROBE, "uretprobe", ExecPhase::on_return, TargetKind::user_function,
                           return_value(4), "openat")};
}

ExecEvent entry(std::uint32_t hook, std::uint64_t ns, std::uint32_t tid, const std::string &path)
{
    ExecEvent e;
    e.hook = hook;
    e.ktime_ns = ns;
    e.pid = tid;
    e.tgid = 100;
    e.comm = "pctl-cmp-1";
    RawValue dfd;
    dfd.bits = static_cast<std::uint64_t>(-100);  // AT_FDCWD
    dfd.read = true;
    RawValue name;
    name.bits = 0x7ffd0000;
    name.text = path;
    name.read = true;
    e.values = std::vector<RawValue>{dfd, name};
    return e;
}

ExecEvent returned(std::uint32_t hook, std::uint64_t ns, std::uint32_t tid, std::int64_t ret)
{
    ExecEvent e = entry(hook, ns, tid, "");
    e.values = std::vector<RawValue>{};
    e.retval = ret;
    return e;
}

KnownExec call(std::string id, std::string scenario, std::uint64_t start, std::uint64_t end, int error, bool raw)
{
    KnownExec c;
    c.id = std::move(id);
    c.scenario = std::move(scenario);
    c.tgid = 100;
    c.tid = 100;
    c.start_ns = start;
    c.end_ns = end;
    c.syscall = "openat";
    c.path = "/tmp/f";
    c.error = error;
    c.raw_syscall = raw;
    return c;
}

// A failed openat through libc, then a raw syscall(2) that succeeds: libc's uprobes never see it.
Recording two_calls()
{
    Recording recording;
    recording.kernel = "6.1.0-test";
    recording.event = "openat";
    recording.workload = "built-in scenarios of openat: 2 enoent, 4 raw";
    recording.hooks = openat_hooks();
    recording.execs = {call("2", "enoent", 1000, 2000, ENOENT, false), call("4", "raw", 2000, 3000, 0, true)};
    recording.events = {
        entry(PCTL_HOOK_UPROBE, 1100, 100, "/tmp/absent"), entry(PCTL_HOOK_TRACEPOINT, 1200, 100, "/tmp/absent"),
        returned(PCTL_HOOK_KRETPROBE, 1300, 100, -ENOENT), returned(PCTL_HOOK_URETPROBE, 1400, 100, -1),
        entry(PCTL_HOOK_TRACEPOINT, 2100, 100, "/tmp/f"),  returned(PCTL_HOOK_KRETPROBE, 2200, 100, 3)};
    return recording;
}

const FieldComparison *field_of(const ExecReport &call, const std::string &name)
{
    for (const auto &f : call.fields)
        if (f.field == name)
            return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("a raw syscall(2) passes libc's wrapper by: its uprobes' absence has that cause", "[compare]")
{
    const Report report = build_report(two_calls());
    REQUIRE(report.execs.size() == 2);
    const ExecReport &raw = report.execs[1];
    CHECK(raw.coverage[0].count == 1);  // tracepoint
    CHECK(raw.coverage[2].count == 1);  // kretprobe
    for (size_t libc : {1u, 3u}) {
        CHECK(raw.coverage[libc].count == 0);
        CHECK(raw.coverage[libc].cause ==
              "attached to libc's openat; this call was a raw syscall(2), which never enters it");
    }
    CHECK(report.unknown_causes == 0);
    CHECK(report.unexplained.empty());
}

TEST_CASE("a syscall's arguments compared by name, libc's -1 against the kernel's -ENOENT", "[compare]")
{
    const Report report = build_report(two_calls());
    const ExecReport &failed = report.execs[0];
    const FieldComparison *filename = field_of(failed, "filename");
    REQUIRE(filename);
    CHECK(filename->agree);
    REQUIRE(filename->values.size() == 2);  // the uprobe and the tracepoint
    CHECK(filename->values[0].value == "\"/tmp/absent\"");
    const FieldComparison *dfd = field_of(failed, "dfd");
    REQUIRE(dfd);
    CHECK(dfd->values.front().value == "-100");
    const FieldComparison *ret = field_of(failed, "ret");
    REQUIRE(ret);
    CHECK_FALSE(ret->agree);
    REQUIRE(ret->values.size() == 2);
    CHECK(ret->values[0].hook == "kretprobe");
    CHECK(ret->values[0].value == "-2");
    CHECK(ret->values[1].hook == "uretprobe");
    CHECK(ret->values[1].value == "-1");
}

TEST_CASE("a user's command: calls inferred per thread, their outcome from the kernel's return", "[compare]")
{
    Recording recording = two_calls();
    recording.execs_known = false;
    recording.execs.clear();
    // Two threads of one process call at once: each thread's events are its own call.
    recording.events = {entry(PCTL_HOOK_TRACEPOINT, 100, 101, "/a"), entry(PCTL_HOOK_TRACEPOINT, 110, 102, "/b"),
                        returned(PCTL_HOOK_KRETPROBE, 120, 102, 4),
                        returned(PCTL_HOOK_KRETPROBE, 130, 101, -ENOENT)};
    const Report report = build_report(recording);
    REQUIRE(report.execs.size() == 2);
    CHECK(report.execs[0].exec.tid == 101);
    CHECK(report.execs[0].exec.path == "/a");
    CHECK(report.execs[0].exec.error == ENOENT);
    CHECK(report.execs[1].exec.tid == 102);
    CHECK(report.execs[1].exec.path == "/b");
    CHECK(report.execs[1].exec.error == 0);
    CHECK(report.execs[0].exec.syscall == "openat");
}

TEST_CASE("a syscall's recording keeps its event, the hooks' descriptions and the raw values", "[compare]")
{
    const Recording recording = two_calls();
    auto back = recording_from_json(to_json(recording));
    REQUIRE(back);
    CHECK(back->event == "openat");
    REQUIRE(back->hooks[0].values);
    CHECK(back->hooks[0].values->summary() == "dfd (int), filename (ustr)");
    CHECK(back->hooks[2].values->summary() == "the return value (int)");
    CHECK(back->execs[1].raw_syscall);
    REQUIRE(back->events[0].values);
    CHECK((*back->events[0].values)[1].text == "/tmp/absent");
    CHECK(to_json(*back) == to_json(recording));
    // a recording made before events other than execve compared execve
    auto old = to_json(recording);
    old.erase("event");
    CHECK(recording_from_json(old)->event == "execve");
}

TEST_CASE("the report speaks of calls, not execs, for a syscall", "[compare]")
{
    const Report report = build_report(two_calls());
    const std::string text = render_text(report, {});
    CHECK_THAT(text, Catch::StartsWith("probectl compare on 6.1.0-test: openat, 2 calls, 4 of 4 hook types"));
    CHECK_THAT(text, Catch::Contains("\nCALL "));
    CHECK_THAT(text, Catch::Contains("tracepoint    dfd (int), filename (ustr) (2)"));
    CHECK_THAT(text, Catch::Contains("Events that match no call of the workload: 0"));
    CHECK(text.find("exec") == std::string::npos);
    CHECK_THAT(render_markdown(report), Catch::Contains("Workload: built-in scenarios of openat: 2 enoent, 4 raw. "
                                                        "2 calls."));
    CHECK(report_to_json(report)["event"] == "openat");
}

TEST_CASE("an event's scenario says which hooks it passes by: that is the absence's cause", "[compare]")
{
    Recording recording;
    recording.kernel = "6.12.0-test";
    recording.event = "process-exit";
    recording.workload = "built-in scenarios of process-exit: 2 thread";
    recording.hooks = {
        described_hook(PCTL_HOOK_KSYSCALL, "ksyscall", ExecPhase::before_exec, TargetKind::syscall, {}),
        described_hook(PCTL_HOOK_TRACEPOINT, "tracepoint", ExecPhase::before_exec, TargetKind::tracepoint, {})};
    KnownExec thread = call("2a", "thread", 1000, 2000, 0, false);
    thread.syscall = "exit";
    thread.unseen = {{"syscall", "a thread ends by the exit syscall: exit_group ends a whole process"}};
    recording.execs = {thread};
    ExecEvent exit = entry(PCTL_HOOK_TRACEPOINT, 1500, 100, "");
    exit.values = std::vector<RawValue>{};
    recording.events = {exit};
    const Report report = build_report(recording);
    CHECK(report.execs[0].coverage[0].cause ==
          "a thread ends by the exit syscall: exit_group ends a whole process");
    CHECK(report.execs[0].coverage[1].count == 1);
    CHECK(report.unknown_causes == 0);
    CHECK(occurrence_noun(recording.event) == "occurrence");
    auto back = recording_from_json(to_json(recording));
    REQUIRE(back);
    CHECK(back->execs[0].unseen == thread.unseen);
}

TEST_CASE("a fork's child is its occurrence's: its events count, marked as the child's, others' do not",
          "[compare]")
{
    Recording recording;
    recording.kernel = "6.1.0-test";
    recording.event = "process-fork";
    recording.workload = "built-in scenarios of process-fork: 1 fork";
    recording.hooks = {described_hook(PCTL_HOOK_URETPROBE, "uretprobe", ExecPhase::on_return,
                                      TargetKind::user_function, return_value(4))};
    KnownExec forked = call("1", "fork", 1000, 2000, 0, false);
    forked.syscall = "clone";
    forked.created = 101;
    recording.execs = {forked};
    ExecEvent in_parent = returned(PCTL_HOOK_URETPROBE, 1500, 100, 101);
    ExecEvent in_child = returned(PCTL_HOOK_URETPROBE, 1400, 101, 0);
    in_child.tgid = 101;
    ExecEvent stranger = returned(PCTL_HOOK_URETPROBE, 1450, 102, 0);  // another process's fork
    stranger.tgid = 102;
    recording.events = {in_parent, in_child, stranger};

    const Report report = build_report(recording);
    REQUIRE(report.execs.size() == 1);
    CHECK(report.execs[0].coverage[0].count == 2);
    REQUIRE(report.execs[0].timeline.size() == 2);
    CHECK(report.execs[0].timeline[0].in_child);  // the child returned first
    CHECK(report.execs[0].timeline[0].pid == 101);
    CHECK_FALSE(report.execs[0].timeline[1].in_child);
    REQUIRE(report.unexplained.size() == 1);
    CHECK(report.unexplained[0].pid == 102);
    const std::string text = render_text(report, {});
    CHECK(text.find("uretprobe +0.0 (child)  uretprobe +0.1\n") != std::string::npos);

    auto back = recording_from_json(to_json(recording));
    REQUIRE(back);
    CHECK(back->execs[0].created == 101);
}
