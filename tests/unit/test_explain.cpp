// probectl explain on recorded kernel facts, with a stand-in for the real trial attach.
#include <catch2/catch.hpp>

#include "attach/explain.h"
#include "attach/registry.h"
#include "cli/explain_format.h"
#include "loader/text.h"
#include "tests/support/folded_text.h"
#include "tests/support/process.h"
#include "tests/support/resolving.h"

using namespace probectl;
using probectl::test::recorded_kernel;

namespace {

// Every hook attaches, except those named here, which fail with the given reason.
Trial trial_failing(std::map<std::string, std::string> failures = {})
{
    return [failures](const AttachStrategy &strategy, const ResolvedTarget &) -> std::optional<std::string> {
        auto it = failures.find(std::string(strategy.info().name));
        if (it == failures.end())
            return std::nullopt;
        return it->second;
    };
}

ExplainReport run(const std::string &text, const KernelSymbols &symbols, const Trial &trial)
{
    auto target = parse_target(text);
    REQUIRE(target);
    return explain(*target, symbols, trial);
}

const HookVerdict &verdict(const ExplainReport &report, const std::string &hook)
{
    for (const auto &v : report.hooks)
        if (v.hook == hook)
            return v;
    FAIL("no verdict for " << hook);
    return report.hooks.front();
}

bool has_hook(const ExplainReport &report, const std::string &hook)
{
    return std::ranges::any_of(report.hooks, [&](const HookVerdict &v) { return v.hook == hook; });
}

// The registry's hooks whose target is of one of these kinds, in its order.
std::vector<std::string> hooks_of_kind(std::initializer_list<TargetKind> kinds)
{
    std::vector<std::string> out;
    for (const auto &strategy : Registry::instance().all())
        if (std::ranges::find(kinds, strategy->info().target_kind) != kinds.end())
            out.emplace_back(strategy->info().name);
    return out;
}

}  // namespace

TEST_CASE("explain do_execve on 6.18: inlined, every hook's substitute, the alternatives", "[explain]")
{
    auto report = run("do_execve", recorded_kernel("kernel-6.18"),
                      trial_failing({{"kprobe", "kprobe is not supported on this kernel: kernel built without "
                                                "CONFIG_KPROBES"}}));
    CHECK(report.kind == "exec event");
    REQUIRE(report.function);
    CHECK(report.function->inlined_or_absent());
    CHECK(report.hooks.size() == Registry::instance().all().size());  // the exec event: every hook
    CHECK(verdict(report, "fentry").attach_point == "bprm_execve");
    CHECK(verdict(report, "fentry").works);
    CHECK(verdict(report, "fentry").note.find("do_execve: it is inlined or absent") == 0);
    // The recording's kprobe blacklist names the clone: kprobe passes it over.
    CHECK(verdict(report, "kprobe").attach_point == "bprm_execve");
    CHECK_FALSE(verdict(report, "kprobe").works);
    CHECK(verdict(report, "kprobe").reason.find("CONFIG_KPROBES") != std::string::npos);
    CHECK(verdict(report, "tp_btf").attach_point == "sched_process_exec");

    std::vector<std::string> present;
    for (const auto &alternative : report.alternatives)
        if (alternative.present)
            present.push_back(alternative.name);
    CHECK(present == std::vector<std::string>{"bprm_execve", "do_execveat_common.isra.0", "__x64_sys_execve",
                                              "begin_new_exec", "syscalls:sys_enter_execve",
                                              "sched:sched_process_exec"});
    const std::string text = probectl::test::unfolded(explain_text(report));
    CHECK(text.find("  do_execve: inlined or absent on this kernel (in neither /proc/kallsyms nor BTF)") !=
          std::string::npos);
    CHECK(text.find("Absent on this kernel: do_execveat_common\n") != std::string::npos);
    // an alternative names the hook types that work here and attach there: not kprobe
    CHECK(report.alternatives.front().name == "bprm_execve");
    CHECK(report.alternatives.front().hooks ==
          std::vector<std::string>{"kretprobe", "fentry", "fexit", "kprobe.multi"});
    CHECK(
        text.find("The same event can be seen here at: bprm_execve (kretprobe, fentry, fexit, kprobe.multi); ") !=
        std::string::npos);
}

TEST_CASE("explain do_execve where no kernel-function hook works: those alternatives are not offered", "[explain]")
{
    const std::string no_kprobes = "kernel built without CONFIG_KPROBES";
    const std::string no_trampolines = "loading a tracing program is not permitted on this kernel (EPERM)";
    auto report = run("do_execve", recorded_kernel("kernel-6.18"),
                      trial_failing({{"kprobe", no_kprobes},
                                     {"kretprobe", no_kprobes},
                                     {"fentry", no_trampolines},
                                     {"fexit", no_trampolines},
                                     {"kprobe.multi", no_kprobes}}));
    const std::string text = probectl::test::unfolded(explain_text(report));
    CHECK(text.find("The same event can be seen here at: syscalls:sys_enter_execve (tracepoint); "
                    "sched:sched_process_exec (tracepoint, tp_btf, raw_tp)\n") != std::string::npos);
    CHECK(text.find("Present, but no hook type that works here attaches there: bprm_execve, "
                    "do_execveat_common.isra.0, __x64_sys_execve, begin_new_exec\n") != std::string::npos);
}

TEST_CASE("explain a kernel function: only the hooks that take functions, with the facts", "[explain]")
{
    auto report = run("bprm_execve", recorded_kernel("kernel-6.1"), trial_failing());
    CHECK(report.kind == "kernel function");
    REQUIRE(report.function);
    CHECK(report.function->in_kallsyms);
    CHECK(report.function->btf_params == 4);
    // the hooks that take kernel functions (one, or many): no syscall, no tracepoint of that name
    CHECK(report.hooks.size() ==
          hooks_of_kind({TargetKind::kernel_function, TargetKind::kernel_functions}).size());
    CHECK_FALSE(has_hook(report, "ksyscall"));
    for (const auto &hook : report.hooks) {
        CHECK(hook.works);
        CHECK(hook.attach_point == "bprm_execve");
    }
    CHECK_FALSE(report.alternatives.empty());
}

TEST_CASE("explain an .isra clone: kprobes can, BTF hooks cannot, and why", "[explain]")
{
    auto report = run("do_execveat_common.isra.0", recorded_kernel("kernel-6.1"), trial_failing());
    CHECK(verdict(report, "kprobe").works);
    CHECK_FALSE(verdict(report, "fentry").works);
    CHECK(verdict(report, "fentry").attach_point.empty());
    CHECK(verdict(report, "fentry").reason ==
          "fentry cannot attach to 'do_execveat_common.isra.0': it has no BTF description, which BPF "
          "trampolines need");
    auto json = explain_json(report);
    // The verdicts are the kernel-function hooks', in the registry's order: fentry's is at its place there.
    const auto function_hooks = hooks_of_kind({TargetKind::kernel_function, TargetKind::kernel_functions});
    const auto fentry = std::ranges::find(function_hooks, "fentry");
    REQUIRE(fentry != function_hooks.end());
    const auto at = static_cast<std::size_t>(fentry - function_hooks.begin());
    CHECK(json["hooks"][at]["hook"] == "fentry");
    CHECK(json["hooks"][at]["attach_point"].is_null());
}

TEST_CASE("explain reads the kprobe blacklist when debugfs gives it", "[explain]")
{
    // tests/data/kernel-6.18/kprobe_blacklist lists the clone (made up for the test; debugfs format).
    auto listed = run("do_execveat_common.isra.0", recorded_kernel("kernel-6.18"), trial_failing());
    REQUIRE(listed.function);
    CHECK(listed.function->blacklisted == true);
    CHECK(probectl::test::unfolded(explain_text(listed)).find("; on the kprobe blacklist: kprobes refuse it") !=
          std::string::npos);
    auto not_listed = run("bprm_execve", recorded_kernel("kernel-6.18"), trial_failing());
    CHECK(not_listed.function->blacklisted == false);
    auto unknown = run("bprm_execve", recorded_kernel("kernel-6.1"), trial_failing());
    CHECK_FALSE(unknown.function->blacklisted.has_value());
    CHECK(explain_json(unknown)["function"]["kprobe_blacklisted"].is_null());
}

TEST_CASE("explain a tracepoint: tracepoint, tp_btf and raw_tp", "[explain]")
{
    auto report = run("sched:sched_process_exec", recorded_kernel("kernel-6.18"), trial_failing());
    CHECK(report.kind == "tracepoint");
    CHECK(report.hooks.size() == hooks_of_kind({TargetKind::tracepoint, TargetKind::raw_tracepoint}).size());
    CHECK(verdict(report, "tracepoint").attach_point == "sched:sched_process_exec");
    CHECK(verdict(report, "raw_tp").attach_point == "sched_process_exec");
    CHECK_FALSE(report.function);
}

TEST_CASE("explain a user function: uprobe and uretprobe", "[explain]")
{
    auto report = run("libc:execve", KernelSymbols{}, trial_failing({{"uretprobe", "no uprobes"}}));
    CHECK(report.kind == "user function");
    REQUIRE(report.hooks.size() == hooks_of_kind({TargetKind::user_function, TargetKind::user_functions}).size());
    for (const auto &hook : report.hooks)  // every user-function hook but uretprobe, which the trial fails
        if (hook.hook != "uretprobe")
            CHECK(hook.works);
    CHECK(verdict(report, "uretprobe").reason == "no uprobes");
    CHECK(verdict(report, "uprobe").attach_point.ends_with(":execve"));
}
