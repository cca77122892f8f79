// The events probectl declares beyond exec and the syscalls: each hook type's point, as resolution
// takes it, or why the hook cannot see the event.
#include <catch2/catch.hpp>

#include <set>

#include "attach/event_catalogue.h"
#include "attach/registry.h"
#include "tests/support/resolving.h"

using namespace probectl;
using probectl::test::resolve_on;

namespace {

KernelSymbols kernel_with_exit()
{
    KernelSymbols symbols;
    symbols.kallsyms = {"do_exit", "kernel_clone", "__x64_sys_exit_group", "bpf_lsm_task_free"};
    symbols.btf_funcs = {{"do_exit", 1}, {"kernel_clone", 1}, {"bpf_lsm_task_free", 1}};
    symbols.has_btf = true;
    symbols.btf_typedefs = {"btf_trace_sched_process_exit"};
    symbols.tracepoints = std::set<std::string>{"sched:sched_process_exit"};
    symbols.release = "6.12.0";
    return symbols;
}

}  // namespace

TEST_CASE("the catalogue: hyphenated names, one point a target kind, every kind declared", "[events]")
{
    REQUIRE(event_catalogue().size() >= 3);
    for (const auto &event : event_catalogue()) {
        INFO(event.name);
        CHECK(event.name.find('-') != std::string_view::npos);  // no kernel symbol is named so
        CHECK_FALSE(event.what.empty());
        std::set<TargetKind> kinds;
        for (const auto &point : event.points) {
            CHECK(kinds.insert(point.kind).second);
            CHECK((point.target.empty() != point.why.empty()));  // an attach point, or why none
            CHECK((point.target.empty() ? point.note.empty() : true));
        }
        // every target kind (user_functions is the last): a hook type added later finds its kind's point
        CHECK(kinds.size() == static_cast<size_t>(TargetKind::user_functions) + 1);
        for (const auto &unseen : event.unseen)
            CHECK(Registry::instance().find(unseen.hook));
    }
    CHECK(find_catalogue_event("process-exit"));
    CHECK_FALSE(find_catalogue_event("do_exit"));
}

TEST_CASE("process-exit through each hook type: its point, or why it cannot see it", "[events]")
{
    const KernelSymbols symbols = kernel_with_exit();
    auto kprobe = resolve_on("kprobe", "process-exit", symbols);
    REQUIRE(kprobe);
    CHECK(kprobe->attach_point == "do_exit");
    auto fentry = resolve_on("fentry", "process-exit", symbols);
    REQUIRE(fentry);
    CHECK(fentry->attach_point == "do_exit");
    auto tracepoint = resolve_on("tracepoint", "process-exit", symbols);
    REQUIRE(tracepoint);
    CHECK(tracepoint->attach_point == "sched:sched_process_exit");
    auto raw = resolve_on("raw_tp", "process-exit", symbols);
    REQUIRE(raw);
    CHECK(raw->attach_point == "sched_process_exit");
    auto ksyscall = resolve_on("ksyscall", "process-exit", symbols);
    REQUIRE(ksyscall);
    CHECK(ksyscall->attach_point == "exit_group");
    CHECK(ksyscall->note == "process-exit: ksyscall sees a process's exit_group only: a thread's exit and a "
                            "death by a signal do not pass there");
    CHECK(kprobe->note.empty());  // do_exit: every thread's exit
    auto lsm = resolve_on("lsm", "process-exit", symbols);
    REQUIRE_FALSE(lsm);
    CHECK(lsm.error().message.starts_with("lsm has no attach point for process-exit: no LSM hook runs in the "
                                          "exiting task"));
    auto uprobe = resolve_on("uprobe", "process-exit", symbols);
    REQUIRE(uprobe);
    CHECK(uprobe->symbol == "_exit");

    auto kretprobe = resolve_on("kretprobe", "process-exit", symbols);
    REQUIRE_FALSE(kretprobe);
    CHECK(kretprobe.error().message ==
          "kretprobe cannot see process-exit: do_exit never returns: a return probe there never fires");
    auto fexit = resolve_on("fexit", "process-exit", symbols);  // the verifier's noreturn list
    REQUIRE_FALSE(fexit);
    CHECK(fexit.error().message == "for process-exit, fexit cannot attach to 'do_exit': it never returns, so a "
                                   "return probe there never fires");
    // A point this kernel lacks: said as resolution says it, for the event.
    auto fork = resolve_on("tracepoint", "process-fork", symbols);
    REQUIRE_FALSE(fork);
    CHECK(fork.error().message.starts_with("for process-fork, tracepoint 'sched:sched_process_fork' not found"));
}
