// Lab 11: uprobe and uretprobe on libc's execve. A uprobe runs in the calling process before the
// system call, so it reads the caller's own memory; a uretprobe runs when execve returns, which a
// successful execve never does: the image that called it is gone.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "loader/event_stream.h"
#include "probes/event.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace probectl::lab {
namespace {

constexpr const char *kMissing = "/nonexistent/probectl-lab-11";
constexpr const char *kTrue = "/bin/true";

struct Seen {
    std::vector<ExecEvent> uprobe, uretprobe;
    std::string attach_point;
    std::string unsupported;  // why the experiment cannot run here
};

// One child: execve of a missing file (fails, ENOENT, and returns), then of /bin/true (succeeds).
Expected<void> two_execs()
{
    const pid_t child = fork();
    if (child < 0)
        return fail(ErrorKind::workload, "fork failed: " + errno_text(errno));
    if (child == 0) {
        // The names are copied to the stack first: a BPF program cannot fault pages in, and a string
        // constant of a freshly forked child may not be mapped yet (bpf_probe_read_user then fails).
        char missing[64], truth[64];
        std::snprintf(missing, sizeof(missing), "%s", kMissing);
        std::snprintf(truth, sizeof(truth), "%s", kTrue);
        char *missing_argv[] = {missing, nullptr};
        char *true_argv[] = {truth, nullptr};
        char *envp[] = {nullptr};
        execve(missing, missing_argv, envp);
        execve(truth, true_argv, envp);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorKind::workload, fmt::format("{} did not run (wait status {:#x})", kTrue, status));
    return {};
}

Expected<Seen> experiment()
{
    Seen seen;
    const auto execve = parse_target("execve");
    ProbeFilter filter;
    filter.ancestor = static_cast<std::uint32_t>(getpid());
    EventStream stream([&](const ExecEvent &event) {
        (event.hook == PCTL_HOOK_UPROBE ? seen.uprobe : seen.uretprobe).push_back(event);
        return true;
    });
    std::vector<std::unique_ptr<BpfProbe>> probes;
    for (const char *name : {"uprobe", "uretprobe"}) {
        const AttachStrategy *strategy = Registry::instance().find(name);
        if (const Support &support = hook_support(*strategy); !support.supported) {
            seen.unsupported = fmt::format("{} does not work on this kernel: {}", name, support.reason);
            return seen;
        }
        auto target = strategy->resolve(*execve, ResolveOptions{});
        if (!target)
            return std::unexpected(target.error());
        seen.attach_point = target->describe();
        auto probe = attach_or_explain(*strategy, *target, filter);
        if (!probe)
            return std::unexpected(probe.error());
        if (auto added = stream.add(**probe); !added)
            return std::unexpected(added.error());
        probes.push_back(std::move(*probe));
    }
    if (auto ran = two_execs(); !ran)
        return std::unexpected(ran.error());
    if (auto drained = stream.drain(); !drained)
        return std::unexpected(drained.error());
    return seen;
}

std::string describe(const ExecEvent &e)
{
    return fmt::format("pid {} filename {} retval {}", e.pid, e.filename ? "'" + *e.filename + "'" : "(none)",
                       e.retval ? std::to_string(*e.retval) : "(none)");
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty())
        return fmt::format("This lab needs uprobes: {}\n", seen->unsupported);
    std::string out = fmt::format("uprobe and uretprobe on {}; one child calls execve(\"{}\") (fails), then "
                                  "execve(\"{}\") (succeeds).\n\nuprobe saw {}:\n",
                                  seen->attach_point, kMissing, kTrue, seen->uprobe.size());
    for (const auto &e : seen->uprobe)
        out += "  " + describe(e) + "\n";
    out += fmt::format("uretprobe saw {}:\n", seen->uretprobe.size());
    for (const auto &e : seen->uretprobe)
        out += "  " + describe(e) + "\n";
    out += "\nLook at: which call the uretprobe missed, and its return value: libc's -1 (the error is in errno),\n"
           "not the kernel's -ENOENT that a kretprobe or fexit would show.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims{
        "the uprobe sees both execve calls, with the file name read from the caller's memory",
        "the uretprobe sees only the failing call: a successful execve never returns",
        "the uretprobe reads libc's return value, -1 (the error is left in errno)",
        "the uretprobe has no file name: at return the arguments are gone from the registers"};
    std::vector<Observation> out;
    if (!seen->unsupported.empty()) {
        for (const auto &claim : claims)
            out.push_back(cannot_check(claim, seen->unsupported));
        return out;
    }
    std::vector<std::string> names;
    for (const auto &e : seen->uprobe)
        names.push_back(e.filename.value_or("(none)"));
    out.push_back(observe(claims[0], names == std::vector<std::string>{kMissing, kTrue},
                          fmt::format("uprobe file names: {}", fmt::join(names, ", "))));
    out.push_back(observe(claims[1], seen->uretprobe.size() == 1,
                          fmt::format("uretprobe events: {}", seen->uretprobe.size())));
    const auto *ret = seen->uretprobe.empty() ? nullptr : &seen->uretprobe.front();
    out.push_back(
        observe(claims[2], ret && ret->retval == -1, ret ? "uretprobe: " + describe(*ret) : "no uretprobe event"));
    out.push_back(
        observe(claims[3], ret && !ret->filename, ret ? "uretprobe: " + describe(*ret) : "no uretprobe event"));
    return out;
}

}  // namespace

Lab lab_11_uprobes()
{
    return {11, "uprobe-uretprobe", "uprobe and uretprobe on libc's execve", run, check};
}

}  // namespace probectl::lab
