#include "compare/event_scenarios.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>

namespace probectl::compare {
namespace {

const std::vector<Scenario> kNone;

// Every built-in syscall has the same four: what differs is what each call names.
const std::vector<Scenario> kOpenat{
    {1, "success", "openat of a file that exists"},
    {2, "enoent", "openat of a file that does not exist (ENOENT)"},
    {3, "thread", "openat from the second thread of a two-thread process"},
    {4, "raw", "openat made by syscall(2): libc's openat is never called"},
};
const std::vector<Scenario> kUnlinkat{
    {1, "success", "unlinkat of a file that exists"},
    {2, "enoent", "unlinkat of a file that does not exist (ENOENT)"},
    {3, "thread", "unlinkat from the second thread of a two-thread process"},
    {4, "raw", "unlinkat made by syscall(2): libc's unlinkat is never called"},
};
// process-exit: the ways a process or thread ends, and which hooks each passes by.
const std::vector<Scenario> kProcessExit{
    {1, "exit", "a process calls exit(0): libc's exit, then _exit, then exit_group"},
    {2, "thread", "a thread ends by pthread_exit (the exit syscall), then its process by exit(0)"},
    {3, "signal", "a process killed by SIGKILL: no exit call at all"},
    {4, "raw", "a process ends by syscall(SYS_exit_group): libc's exit functions are never called"},
};
// process-fork: the ways a task is made, and which hooks each passes by. A fork's child returns from
// libc's fork too: the uretprobe sees the child's first view (its return value is 0).
const std::vector<Scenario> kProcessFork{
    {1, "fork", "fork(): libc's fork, the clone syscall; the child exits at once"},
    {2, "thread", "pthread_create: a thread, made by the clone3 syscall (glibc 2.34 and later)"},
    {3, "vfork", "vfork(): libc's vfork, the vfork syscall; the child exits at once"},
    {4, "raw", "a fork made by syscall(SYS_clone, SIGCHLD): libc's fork is never called"},
};
const std::vector<Scenario> kConnect{
    {1, "accepted", "connect to a listening TCP port on 127.0.0.1"},
    {2, "refused", "connect to a closed TCP port on 127.0.0.1 (ECONNREFUSED)"},
    {3, "thread", "connect (accepted) from the second thread of a two-thread process"},
    {4, "raw", "connect (accepted) made by syscall(2): libc's connect is never called"},
};

int result(long returned)
{
    return returned < 0 ? errno : 0;
}

int open_and_close(const std::string &path, bool raw)
{
    const long fd = raw ? syscall(SYS_openat, AT_FDCWD, path.c_str(), O_RDONLY | O_CLOEXEC)
                        : openat(AT_FDCWD, path.c_str(), O_RDONLY | O_CLOEXEC);
    const int err = result(fd);
    if (fd >= 0)
        close(static_cast<int>(fd));
    return err;
}

int unlink_file(const std::string &path, bool raw)
{
    return result(raw ? syscall(SYS_unlinkat, AT_FDCWD, path.c_str(), 0) : unlinkat(AT_FDCWD, path.c_str(), 0));
}

sockaddr_in loopback(in_port_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

int connect_to(in_port_t port, bool raw)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    const sockaddr_in address = loopback(port);
    const auto *to = reinterpret_cast<const sockaddr *>(&address);
    const int err = result(raw ? syscall(SYS_connect, fd, to, sizeof(address)) : connect(fd, to, sizeof(address)));
    close(fd);
    return err;
}

// A TCP port on 127.0.0.1: listening (kept open for the workload's life; the kernel completes a
// loopback connect without an accept), or closed (bound, then closed: a connect is refused).
in_port_t loopback_port(bool listening)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof(address);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0 ||
        (listening && listen(fd, 16) != 0) ||
        getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return 0;
    if (!listening)
        close(fd);
    return ntohs(address.sin_port);
}

// Why libc's exit functions (uprobe on _exit, uprobe.multi on exit and _exit) do not see an end.
std::map<std::string, std::string> past_libc_exit(const std::string &why)
{
    return {{"user function", why}, {"user functions", why}};
}

// A scenario's plan, numbered as it is, and its first attempt, named and described as it is.
Plan plan_for(const Scenario &scenario)
{
    Plan plan;
    plan.number = scenario.number;
    return plan;
}

Attempt attempt_for(const Scenario &scenario, std::string syscall)
{
    Attempt attempt;
    attempt.scenario = std::string(scenario.name);
    attempt.description = std::string(scenario.description);
    attempt.syscall = std::move(syscall);
    return attempt;
}

Plan exit_plan(const Scenario &scenario)
{
    Plan plan = plan_for(scenario);
    Attempt attempt = attempt_for(scenario, "exit_group");
    attempt.ends = true;
    if (scenario.name == "exit") {
        attempt.call = [] {
            std::exit(0);
            return 0;
        };
    } else if (scenario.name == "thread") {
        plan.from_thread = true;
        attempt.suffix = "a";
        attempt.description = "a thread ends by pthread_exit: the exit syscall, not exit_group";
        attempt.syscall = "exit";
        attempt.unseen = past_libc_exit("pthread_exit ends the thread without calling libc's exit or _exit");
        attempt.unseen["syscall"] = "a thread ends by the exit syscall: exit_group ends a whole process";
        attempt.call = [] {
            pthread_exit(nullptr);
            return 0;
        };
        Attempt leader;
        leader.suffix = "b";
        leader.scenario = "thread";
        leader.description = "then its process, by exit(0)";
        leader.syscall = "exit_group";
        leader.ends = true;
        leader.call = [] {
            std::exit(0);
            return 0;
        };
        plan.attempts.push_back(std::move(attempt));
        plan.attempts.push_back(std::move(leader));
        return plan;
    } else if (scenario.name == "signal") {
        attempt.syscall = "";
        attempt.unseen = past_libc_exit("a process killed by a signal calls nothing of libc's");
        attempt.unseen["syscall"] = "a process killed by a signal makes no exit syscall";
        attempt.call = [] {
            raise(SIGKILL);
            return 0;
        };
    } else {
        attempt.raw_syscall = true;
        attempt.unseen = past_libc_exit("syscall(SYS_exit_group) ends the process without calling libc's exit "
                                        "or _exit");
        attempt.call = [] {
            syscall(SYS_exit_group, 0);
            return 0;
        };
    }
    plan.attempts.push_back(std::move(attempt));
    return plan;
}

// The child of a fork ends at once; the parent waits for it and says which task it was.
Outcome reaped(long child)
{
    if (child < 0)
        return errno;
    if (child == 0)
        _exit(0);
    int status = 0;
    waitpid(static_cast<pid_t>(child), &status, 0);
    return {0, static_cast<std::uint32_t>(child)};
}

void *report_tid(void *tid)
{
    *static_cast<pid_t *>(tid) = gettid();
    return nullptr;
}

Outcome create_thread()
{
    pid_t tid = 0;
    pthread_t thread;
    if (const int err = pthread_create(&thread, nullptr, report_tid, &tid); err != 0)
        return err;
    pthread_join(thread, nullptr);
    return {0, static_cast<std::uint32_t>(tid)};
}

Plan fork_plan(const Scenario &scenario)
{
    Plan plan = plan_for(scenario);
    Attempt attempt = attempt_for(scenario, "clone");
    if (scenario.name == "fork") {
        attempt.call = [] { return reaped(fork()); };
    } else if (scenario.name == "thread") {
        attempt.syscall = "clone3";
        attempt.unseen = {{"syscall", "glibc 2.34 and later make a thread by clone3: ksyscall is on clone"},
                          {"user function", "pthread_create calls none of libc's fork functions"},
                          {"user functions", "pthread_create calls none of libc's fork functions"}};
        attempt.call = create_thread;
    } else if (scenario.name == "vfork") {
        attempt.syscall = "vfork";
        attempt.unseen = {{"syscall", "vfork is a syscall of its own: ksyscall is on clone"},
                          {"user function", "vfork is a function of its own: the probe is on libc's fork"}};
        attempt.call = [] { return reaped(vfork()); };
    } else {
        attempt.raw_syscall = true;
        const std::string why = "syscall(SYS_clone) makes the clone syscall without calling libc's fork";
        attempt.unseen = {{"user function", why}, {"user functions", why}};
        attempt.call = [] { return reaped(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)); };
    }
    plan.attempts.push_back(std::move(attempt));
    return plan;
}

}  // namespace

const std::vector<Scenario> &event_scenarios(std::string_view event)
{
    if (event == "openat")
        return kOpenat;
    if (event == "unlinkat")
        return kUnlinkat;
    if (event == "connect" || event == "tcp-connect")  // a TCP connect over IPv4 is a connect
        return kConnect;
    if (event == "process-exit")
        return kProcessExit;
    if (event == "process-fork")
        return kProcessFork;
    return kNone;
}

std::vector<Plan> event_plans(std::string_view event, const std::vector<int> &numbers, const std::string &dir)
{
    if (event == "process-exit" || event == "process-fork") {
        std::vector<Plan> plans;
        for (int number : numbers) {
            const Scenario &scenario = event_scenarios(event).at(static_cast<size_t>(number - 1));
            plans.push_back(event == "process-exit" ? exit_plan(scenario) : fork_plan(scenario));
        }
        return plans;
    }
    // tcp-connect's calls are connect's: every hook type sees the connect at its own point for it
    const std::string_view syscall = event == "tcp-connect" ? "connect" : event;
    const std::string present = dir + "/present";
    const std::string absent = dir + "/absent";
    std::ofstream(present) << "probectl compare\n";
    const in_port_t listening = syscall == "connect" ? loopback_port(true) : 0;
    const in_port_t closed = syscall == "connect" ? loopback_port(false) : 0;
    std::vector<Plan> plans;
    for (int number : numbers) {
        const Scenario &scenario = event_scenarios(syscall).at(static_cast<size_t>(number - 1));
        Plan plan;
        plan.number = number;
        plan.from_thread = scenario.name == "thread";
        const bool raw = scenario.name == "raw";
        const bool fails = scenario.name == "enoent" || scenario.name == "refused";
        Attempt attempt;
        attempt.scenario = std::string(scenario.name);
        attempt.description = std::string(scenario.description);
        attempt.syscall = std::string(syscall);
        attempt.raw_syscall = raw;
        if (syscall == "openat") {
            attempt.path = fails ? absent : present;
            attempt.call = [path = attempt.path, raw] { return open_and_close(path, raw); };
        } else if (syscall == "unlinkat") {
            attempt.path = fails ? absent : fmt::format("{}/victim-{}", dir, number);
            if (!fails)
                std::ofstream(attempt.path) << "unlink me\n";
            attempt.call = [path = attempt.path, raw] { return unlink_file(path, raw); };
        } else {
            const in_port_t port = fails ? closed : listening;
            attempt.path = fmt::format("127.0.0.1:{}", port);
            attempt.call = [port, raw] { return connect_to(port, raw); };
        }
        plan.attempts.push_back(std::move(attempt));
        plans.push_back(std::move(plan));
    }
    return plans;
}

}  // namespace probectl::compare
