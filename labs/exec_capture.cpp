#include "labs/exec_capture.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "loader/event_stream.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace probectl::lab {

Expected<Capture> capture(const std::vector<std::string> &hooks, std::string_view target,
                          const std::function<Expected<void>()> &workload, Missing missing)
{
    Capture out;
    auto parsed = parse_target(target);
    if (!parsed)
        return std::unexpected(parsed.error());
    ProbeFilter filter;
    filter.ancestor = static_cast<std::uint32_t>(getpid());
    EventStream stream([&](const ExecEvent &event) {
        if (const AttachStrategy *hook = Registry::instance().by_id(event.hook))
            out.events[std::string(hook->info().name)].push_back(event);
        return true;
    });
    std::vector<std::unique_ptr<BpfProbe>> probes;
    for (const auto &name : hooks) {
        const AttachStrategy *strategy = Registry::instance().find(name);
        if (!strategy)
            return fail(ErrorKind::internal, "no hook type " + name);
        if (const Support &support = hook_support(*strategy); !support.supported) {
            if (missing == Missing::skip) {
                out.not_here[name] = support.reason;
                continue;
            }
            out.unsupported = hook_problem(name);
            return out;
        }
        auto resolved = strategy->resolve(*parsed, ResolveOptions{});
        if (!resolved && missing == Missing::skip) {
            out.not_here[name] = resolved.error().message;
            continue;
        }
        if (!resolved)
            return std::unexpected(resolved.error());
        out.attach_points[name] = resolved->describe();
        if (resolved->values)
            out.values[name] = *resolved->values;
        else if (!resolved->site_values.empty())  // kprobe.multi at one function: its one site's
            out.values[name] = resolved->site_values.front();
        out.events[name];
        auto probe = attach_or_explain(*strategy, *resolved, filter);
        if (!probe)
            return std::unexpected(probe.error());
        if (auto added = stream.add(**probe); !added)
            return std::unexpected(added.error());
        probes.push_back(std::move(*probe));
    }
    if (auto ran = workload(); !ran)
        return std::unexpected(ran.error());
    if (auto drained = stream.drain(); !drained)
        return std::unexpected(drained.error());
    return out;
}

std::string hook_problem(std::string_view hook)
{
    const Support &support = hook_support(*Registry::instance().find(hook));
    return support.supported ? "" : fmt::format("{} does not work on this kernel: {}", hook, support.reason);
}

Expected<void> in_child(const std::function<void()> &child, pid_t *child_pid)
{
    const pid_t pid = fork();
    if (pid < 0)
        return fail(ErrorKind::workload, "fork failed: " + errno_text(errno));
    if (pid == 0) {
        child();
        _exit(127);
    }
    if (child_pid)
        *child_pid = pid;
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorKind::workload, fmt::format("the lab's child failed (wait status {:#x})", status));
    return {};
}

Expected<void> exec_each_in_child(const std::vector<std::string_view> &paths, pid_t *child_pid)
{
    return in_child(
        [&paths] {
            char copies[4][256];
            char *envp[] = {nullptr};
            for (size_t i = 0; i < paths.size() && i < 4; i++)
                std::snprintf(copies[i], sizeof(copies[i]), "%.*s", static_cast<int>(paths[i].size()),
                              paths[i].data());
            for (size_t i = 0; i < paths.size() && i < 4; i++) {
                char *argv[] = {copies[i], nullptr};
                execve(copies[i], argv, envp);
            }
        },
        child_pid);
}

Expected<void> exec_in_child(std::string_view path, pid_t *child_pid)
{
    return exec_each_in_child({path}, child_pid);
}

namespace {

struct ThreadExec {
    char path[256];
    int report_fd;  // where the thread writes its id before it execs
};

void *exec_in_thread(void *argument)
{
    auto *job = static_cast<ThreadExec *>(argument);
    const pid_t tid = gettid();
    if (write(job->report_fd, &tid, sizeof tid) != static_cast<ssize_t>(sizeof tid))
        _exit(125);
    char *argv[] = {job->path, nullptr};
    char *envp[] = {nullptr};
    execve(job->path, argv, envp);
    _exit(126);
}

}  // namespace

Expected<void> exec_from_thread(std::string_view path, pid_t *child_pid, pid_t *thread_id)
{
    // Made before the fork; after it the child creates one thread, as probectl has none running
    // then (the hook trials' threads are joined), and execs.
    ThreadExec job{};
    std::snprintf(job.path, sizeof(job.path), "%.*s", static_cast<int>(path.size()), path.data());
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0)
        return fail(ErrorKind::workload, "pipe failed: " + errno_text(errno));
    job.report_fd = report[1];
    const pid_t pid = fork();
    if (pid < 0) {
        close(report[0]);
        close(report[1]);
        return fail(ErrorKind::workload, "fork failed: " + errno_text(errno));
    }
    if (pid == 0) {
        pthread_t thread;
        if (pthread_create(&thread, nullptr, exec_in_thread, &job) != 0)
            _exit(124);
        for (;;)
            pause();  // the exec ends this thread with the others
    }
    close(report[1]);
    pid_t tid = 0;
    const bool reported = read(report[0], &tid, sizeof tid) == static_cast<ssize_t>(sizeof tid);
    close(report[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!reported || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorKind::workload,
                    fmt::format("the lab's child that execs from a thread failed (wait status {:#x})", status));
    *child_pid = pid;
    *thread_id = tid;
    return {};
}

std::string describe(const ExecEvent &e)
{
    return fmt::format("pid {} filename {} retval {}", e.pid, e.filename ? "'" + *e.filename + "'" : "(none)",
                       e.retval ? std::to_string(*e.retval) : "(none)");
}

}  // namespace probectl::lab
