#include "tests/kernel/test_values.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "attach/syscall_event.h"
#include "loader/value_spec.h"
#include "tests/kernel/capture.h"

// A user function for uprobe and uretprobe to decode: exported, never inlined, never folded away.
extern "C" __attribute__((noinline, used, visibility("default"))) int probectl_values_probe(int number,
                                                                                            const char *text)
{
    asm volatile("" ::"r"(text) : "memory");
    return number + 1;
}

namespace probectl::test {
namespace {

constexpr const char *kPath = "/nonexistent/probectl-values-test";
constexpr const char *kProbeText = "probectl-uprobe-string";
constexpr int kProbeNumber = 42;
constexpr int kSignal = SIGWINCH;  // ignored by default: raising it changes nothing
constexpr int kNice = 7;
constexpr size_t kSignals = 2;  // the child's own signal, then SIGCHLD to its parent as it exits

// What the workload child does once released, each once: an open that fails (ENOENT), a signal to
// itself, a nice value, a call of probectl_values_probe.
void workload_actions()
{
    char path[64];
    std::strncpy(path, kPath, sizeof(path) - 1);  // written here, so its page is present
    path[sizeof(path) - 1] = '\0';
    const int fd = openat(AT_FDCWD, path, O_RDONLY);  // libc's openat: the uprobes' syscall event
    if (fd >= 0)
        close(fd);
    kill(getpid(), kSignal);
    setpriority(PRIO_PROCESS, 0, kNice);
    char text[32];
    std::strncpy(text, kProbeText, sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    probectl_values_probe(kProbeNumber, text);
}

std::string own_executable()
{
    std::array<char, PATH_MAX> path{};
    const ssize_t length = readlink("/proc/self/exe", path.data(), path.size() - 1);
    return length > 0 ? std::string(path.data(), static_cast<size_t>(length)) : std::string();
}

// One attach point of a hook and what its single event must show: an argument's decoded text
// (as the table shows it), and the return value where the hook sees it.
struct ValueCase {
    std::string target;
    std::vector<std::string> overrides;  // --arg N:TYPE
    std::string field;                   // empty: no argument is checked
    std::string text;
    std::optional<std::int64_t> ret;
    size_t events = 1;      // the first is checked
    std::string site = {};  // a hook on many functions: the one the first event names
};

// Each hook type's attach points off the exec path. A hook type with generic capture and no row
// here fails; one without generic capture must have none.
std::vector<ValueCase> attach_point_cases(std::string_view hook)
{
    const std::string path = fmt::format("\"{}\"", kPath);
    const std::string probe = own_executable() + ":probectl_values_probe";
    if (hook == "kprobe" || hook == "fentry")
        return {{"do_sys_openat2", {}, "filename", path, {}}};
    if (hook == "kretprobe")
        return {{"do_sys_openat2", {}, "", "", -ENOENT}};
    if (hook == "fexit")
        return {{"do_sys_openat2", {}, "filename", path, -ENOENT}};
    if (hook == "tracepoint")
        return {{"syscalls:sys_enter_openat", {}, "filename", path, {}},
                {"signal:signal_generate", {}, "sig", std::to_string(kSignal), {}, kSignals}};
    if (hook == "ksyscall")
        return {{"openat", {}, "filename", path, {}}};
    if (hook == "tp_btf" || hook == "raw_tp")
        return {{"signal_generate", {}, "sig", std::to_string(kSignal), {}, kSignals}};
    if (hook == "lsm")
        return {{"task_setnice", {}, "nice", std::to_string(kNice), {}}};
    if (hook == "uprobe")
        return {{probe, {}, "arg0", std::to_string(kProbeNumber), {}},
                {probe, {"1:ustr"}, "arg1", fmt::format("\"{}\"", kProbeText), {}}};
    if (hook == "uretprobe")
        return {{probe, {}, "", "", kProbeNumber + 1}};
    // Many functions in one link, each event naming its own: an open's and a read's; the test's
    // function and its main (which ran before the probe was attached).
    if (hook == "kprobe.multi")
        return {{"do_sys_openat2,vfs_read", {}, "filename", path, {}, 1, "do_sys_openat2"}};
    if (hook == "uprobe.multi")
        return {{probe + ",main", {}, "arg0", std::to_string(kProbeNumber), {}, 1, "probectl_values_probe"}};
    return {};
}

// The syscall event openat (attach/syscall_event.h), named alone: each hook type at its own attach
// point, the file name by the sys_enter format's name; the return where the hook sees it (libc's
// openat returns -1 and sets errno; the kernel's returns -ENOENT). lsm sees no syscall.
std::vector<ValueCase> syscall_event_cases(std::string_view hook)
{
    const std::string path = fmt::format("\"{}\"", kPath);
    if (hook == "kretprobe")
        return {{"openat", {}, "", "", -ENOENT}};
    if (hook == "fexit")
        return {{"openat", {}, "filename", path, -ENOENT}};
    if (hook == "uretprobe")
        return {{"openat", {}, "", "", -1}};
    if (hook == "kprobe.multi")
        return {{"openat", {}, "filename", path, {}, 1, std::string(syscall_wrapper_prefix()) + "openat"}};
    if (hook == "uprobe.multi")
        return {{"openat", {}, "filename", path, {}, 1, "openat"}};
    if (hook == "lsm" || hook == "ksyscall")  // none; ksyscall's attach point is the syscall anyway
        return {};
    return {{"openat", {}, "filename", path, {}}};
}

// The declared event process-exit (attach/event_catalogue.cpp): the workload child's own exit, once,
// through each hook type that sees it (its _exit(0) ends in exit_group(0), then do_exit(0)).
std::vector<ValueCase> exit_event_cases(std::string_view hook)
{
    if (hook == "kprobe" || hook == "fentry")
        return {{"process-exit", {}, "code", "0", {}}};
    if (hook == "ksyscall")
        return {{"process-exit", {}, "error_code", "0", {}}};
    if (hook == "kprobe.multi")
        return {{"process-exit", {}, "code", "0", {}, 1, "do_exit"}};
    if (hook == "uprobe.multi")
        return {{"process-exit", {}, "", "", {}, 1, "_exit"}};
    if (hook == "tracepoint" || hook == "tp_btf" || hook == "raw_tp" || hook == "uprobe")
        return {{"process-exit", {}, "", "", {}}};
    return {};  // kretprobe, fexit, uretprobe: never returns; lsm: no hook in the exiting task
}

std::vector<ValueCase> cases_for(std::string_view hook)
{
    auto cases = attach_point_cases(hook);
    if (!cases.empty()) {
        std::ranges::copy(syscall_event_cases(hook), std::back_inserter(cases));
        std::ranges::copy(exit_event_cases(hook), std::back_inserter(cases));
    }
    return cases;
}

void check_case(const AttachStrategy &strategy, const ValueCase &expected)
{
    INFO(strategy.info().name << " at " << expected.target);
    auto target = parse_target(expected.target);
    REQUIRE(target);
    auto resolved = strategy.resolve(*target, ResolveOptions{});
    INFO("resolve: " << (resolved ? "" : resolved.error().one_line()));
    REQUIRE(resolved);
    REQUIRE(resolved->generic());
    for (const auto &override_text : expected.overrides)
        REQUIRE(apply_value_override(*resolved->values, override_text));

    PendingChild workload(workload_actions, "pctl-values");
    int exit_code = -1;
    const auto events = capture_child(strategy, *resolved, workload, exit_code);
    CHECK(exit_code == 0);
    REQUIRE(events.size() == expected.events);
    const ExecEvent &event = events[0];
    CHECK(event.hook == strategy.info().id);
    CHECK(event.tgid == static_cast<std::uint32_t>(workload.pid()));
    CHECK(event.comm == "pctl-values");
    REQUIRE(event.values);
    const ValueList *values = resolved->values_at(event.site);
    REQUIRE(values);
    INFO("decoding " << values->summary());
    if (!resolved->sites.empty())  // a hook on many functions names the one that fired
        CHECK(resolved->site_name(event.site) == expected.site);
    if (!expected.field.empty()) {
        const auto &fields = values->fields;
        const auto found = std::ranges::find(fields, expected.field, &ValueField::name);
        REQUIRE(found != fields.end());
        const RawValue &value = (*event.values)[static_cast<size_t>(found - fields.begin())];
        CHECK(value_text(*found, value) == expected.text);
    }
    if (expected.ret) {
        REQUIRE(event.retval);
        REQUIRE(values->ret);
        RawValue ret;
        ret.bits = static_cast<std::uint64_t>(*event.retval);
        ret.read = true;
        CHECK(value_text(*values->ret, ret) == std::to_string(*expected.ret));
    } else {
        CHECK_FALSE(event.retval);
    }
}

}  // namespace

void check_generic_capture(const AttachStrategy &strategy)
{
    const auto cases = cases_for(strategy.info().name);
    if (!strategy.generic_capture()) {
        CHECK(cases.empty());
        return;
    }
    REQUIRE_FALSE(cases.empty());
    for (const auto &value_case : cases)
        check_case(strategy, value_case);
    if (strategy.info().target_kind == TargetKind::lsm_hook) {
        auto target = parse_target("openat");
        REQUIRE(target);
        auto resolved = strategy.resolve(*target, ResolveOptions{});
        REQUIRE_FALSE(resolved);
        CHECK(resolved.error().message == "lsm attaches to LSM hooks, and the openat syscall is none");
    }
    if (exit_event_cases(strategy.info().name).empty()) {  // it cannot see the exit, and says why
        auto target = parse_target("process-exit");
        REQUIRE(target);
        auto resolved = strategy.resolve(*target, ResolveOptions{});
        REQUIRE_FALSE(resolved);
        CHECK(resolved.error().kind == ErrorKind::target_untraceable);
        CHECK(resolved.error().message.find("process-exit") != std::string::npos);
    }
}

}  // namespace probectl::test
