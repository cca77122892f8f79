#include "bench/first_event.h"

#include "bench/exec_storm.h"
#include "loader/own_files.h"
#include "loader/stop_signal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

extern char **environ;

namespace probectl::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Tool {
    std::string name;
    std::vector<std::string> argv;
    std::string marker;  // how the line of its first event begins
};

struct Timed {
    double first_event_ms = 0;
    double end_ms = 0;
    double peak_mib = 0;
};

double ms_between(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// Waits for the child's end through any signal (Ctrl-C's handler does not restart calls).
int reap(pid_t child, rusage *usage = nullptr)
{
    int status = 0;
    while (wait4(child, &status, 0, usage) < 0 && errno == EINTR) {
    }
    return status;
}

// Ends a child that outlived its time: SIGTERM, then SIGKILL if it is still there a second later.
void end_child(pid_t child)
{
    kill(child, SIGTERM);
    for (int i = 0; i < 100; i++) {
        siginfo_t info{};
        if (waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
            info.si_pid == child)
            return;  // ended (left for reap), or not ours to wait for
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(child, SIGKILL);
}

// Execs the static helper every 2 ms on a thread of its own, for as long as it lives: the event
// each tool waits for, at a resolution finer than the differences measured.
class ExecTicker {
public:
    explicit ExecTicker(std::string helper)
        : thread_([helper = std::move(helper)](std::stop_token stop) {
              char *argv[] = {const_cast<char *>(helper.c_str()), nullptr};
              while (!stop.stop_requested()) {
                  pid_t child = -1;
                  if (posix_spawn(&child, helper.c_str(), nullptr, nullptr, argv, environ) == 0)
                      reap(child);
                  std::this_thread::sleep_for(std::chrono::milliseconds(2));
              }
          })
    {
    }

private:
    std::jthread thread_;
};

std::optional<std::string> in_path(const std::string &program)
{
    const char *path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!dirs.empty()) {
        const size_t colon = dirs.find(':');
        const std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / program;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate.string();
        if (colon == std::string_view::npos)
            break;
        dirs.remove_prefix(colon + 1);
    }
    return std::nullopt;
}

// Starts the tool with its standard output on a pipe (its standard error on /dev/null), times it
// until a line of its output begins with its marker, then until it has ended by itself.
Expected<Timed> run_once(const Tool &tool, std::chrono::seconds limit)
{
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0)
        return fail(ErrorKind::kernel, "pipe: " + errno_text(errno), "");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char *> argv;
    for (const auto &arg : tool.argv)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t child = -1;
    const auto started = Clock::now();
    const int err = posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (err != 0) {
        close(out[0]);
        return fail(ErrorKind::workload, fmt::format("{}: {}", tool.argv[0], errno_text(err)), "");
    }
    std::string text;
    std::optional<Clock::time_point> first;
    const auto deadline = started + limit;
    bool timed_out = false;
    while (true) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd readable{out[0], POLLIN, 0};
        if (const int ready = poll(&readable, 1, static_cast<int>(left.count())); ready <= 0) {
            if (ready < 0 && errno != EINTR)
                break;
            continue;
        }
        char buffer[4096];
        const ssize_t n = read(out[0], buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;  // it ended
        const size_t seen = text.size();
        text.append(buffer, static_cast<size_t>(n));
        // a line that begins with the marker, looked for where the new bytes could complete one
        const size_t from = seen > tool.marker.size() ? seen - tool.marker.size() - 1 : 0;
        if (!first && (text.starts_with(tool.marker) || text.find("\n" + tool.marker, from) != std::string::npos))
            first = Clock::now();
    }
    close(out[0]);
    if (timed_out)
        end_child(child);
    rusage usage{};
    const int status = reap(child, &usage);
    const auto ended = Clock::now();
    if (timed_out && first)
        return fail(ErrorKind::workload,
                    fmt::format("{} did not end within {} s of its start", tool.name, limit.count()), "");
    if (!first)
        return fail(ErrorKind::workload,
                    fmt::format("{} showed no event{}", tool.name,
                                timed_out           ? fmt::format(" in {} s", limit.count())
                                : WIFEXITED(status) ? fmt::format(" (exit status {})", WEXITSTATUS(status))
                                                    : std::string(" (killed by a signal)")),
                    "");
    return Timed{ms_between(started, *first), ms_between(started, ended),
                 static_cast<double>(usage.ru_maxrss) / 1024.0};
}

}  // namespace

std::vector<FirstEventTool> run_first_event(const FirstEventOptions &options)
{
    std::vector<Tool> tools = {
        {"probectl", {own_binary(), "attach", "--type", "tracepoint", "execve", "--count", "1", "--json"}, "{"},
        {"floor", {own_helper("probectl-floor").string()}, "event"},
    };
    if (options.bpftrace)
        if (auto bpftrace = in_path("bpftrace"))
            tools.push_back(
                {"bpftrace",
                 {*bpftrace, "-B", "none", "-e",
                  R"(tracepoint:syscalls:sys_enter_execve { printf("event %d %s\n", pid, str(args->filename)); exit(); })"},
                 "event"});
    std::vector<FirstEventTool> results;
    for (const auto &tool : tools) {
        FirstEventTool &r = results.emplace_back();
        r.tool = tool.name;
        for (const auto &arg : tool.argv)
            r.command += (r.command.empty() ? "" : " ") + arg;
        if (access(tool.argv[0].c_str(), X_OK) != 0)
            r.not_measured = fmt::format("{} is missing: build it (bash scripts/build.sh)", tool.argv[0]);
    }
    auto helper = find_exec_helper();
    if (!helper) {
        for (auto &r : results)
            r.not_measured = helper.error().one_line();
        return results;
    }
    const ExecTicker ticker(*helper);
    for (int round = 0; round < options.rounds && !stop_signal(); round++)
        for (std::size_t i = 0; i < tools.size() && !stop_signal(); i++) {
            FirstEventTool &r = results[i];
            if (!r.not_measured.empty())
                continue;
            auto timed = run_once(tools[i], std::chrono::seconds(120));
            if (!timed) {
                r.not_measured = timed.error().one_line();
                continue;
            }
            r.first_event_ms.push_back(timed->first_event_ms);
            r.end_ms.push_back(timed->end_ms);
            r.peak_mib.push_back(timed->peak_mib);
        }
    return results;
}

}  // namespace probectl::bench
