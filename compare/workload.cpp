#include "compare/workload.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "compare/event_scenarios.h"
#include "compare/scenario_plan.h"
#include "loader/text.h"
#include "probes/event.h"

extern char **environ;

namespace {
// process-exit's scenarios end by libc's exit(), whose work includes, under LeakSanitizer
// (scripts/sanitize.sh), a leak check that starts a task of its own under the hooks. The workload's
// processes turn the check off: LeakSanitizer asks this function.
bool leak_check_off = false;
}  // namespace

extern "C" int __lsan_is_turned_off();
extern "C" int __lsan_is_turned_off()
{
    return leak_check_off ? 1 : 0;
}

namespace probectl::compare {
namespace {

constexpr uid_t kOtherUid = 65534;  // nobody

const std::vector<Scenario> kScenarios{
    {1, "success", "a successful exec of a small binary"},
    {2, "failed", "a failed exec: file not found (ENOENT), and a file that is not executable (EACCES)"},
    {3, "script", "a script with a #! interpreter line: one execve, two binaries"},
    {4, "fexecve", "execveat on a file descriptor with AT_EMPTY_PATH"},
    {5, "thread", "an exec from a non-leader thread: the kernel gives the thread the process's pid"},
    {6, "long-argv", "an argv longer than the capture limit: truncation must be flagged"},
    {7, "other-uid", "an exec under another uid (nobody)"},
    {8, "path-search", "a PATH-style search that fails twice before it succeeds"},
};

// The workload's name until a scenario's child names itself (pctl-cmp-N) or a command execs.
constexpr const char *kHarnessName = "pctl-workload";

std::uint64_t monotonic_ns()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(now.tv_nsec);
}

// What a scenario child tells the workload, one fixed-size message per write (atomic on a pipe).
struct Message {
    enum Kind : std::uint32_t { start = 0, failed = 1, setup_failed = 2, succeeded = 3 };
    std::uint32_t kind;
    std::uint32_t attempt;
    std::uint32_t tid;
    std::int32_t err;
    std::uint64_t ns;
    std::uint32_t created = 0;  // a call's: the task it created
};

void send(int fd, Message message)
{
    [[maybe_unused]] auto written = write(fd, &message, sizeof(message));
}

// The attempts [first, last) of a plan, made by one thread.
struct ChildContext {
    const Plan *plan;
    int fd;
    std::size_t first = 0;
    std::size_t last = 0;
};

// In the scenario child (or its second thread): each attempt announced, then made; a failure reported
// with its errno. A successful exec closes the pipe (close-on-exec): the workload reads that as success;
// a syscall's call reports its success too; an exit reports nothing, as the exec does.
void make_attempts(const ChildContext &context)
{
    const auto tid = static_cast<std::uint32_t>(gettid());
    for (auto index = static_cast<std::uint32_t>(context.first); index < context.last; index++) {
        const Attempt &attempt = context.plan->attempts[index];
        if (attempt.call) {
            send(context.fd, {Message::start, index, tid, 0, monotonic_ns()});
            const Outcome outcome = attempt.call();
            send(context.fd, {outcome.err ? Message::failed : Message::succeeded, index, tid, outcome.err,
                              monotonic_ns(), outcome.created});
            continue;
        }
        std::vector<char *> argv;
        for (const auto &arg : attempt.argv)
            argv.push_back(const_cast<char *>(arg.c_str()));
        argv.push_back(nullptr);
        int fd = -1;
        if (attempt.syscall == "execveat" && (fd = open(attempt.path.c_str(), O_RDONLY | O_CLOEXEC)) < 0) {
            send(context.fd, {Message::setup_failed, index, tid, errno, 0});
            _exit(125);
        }
        send(context.fd, {Message::start, index, tid, 0, monotonic_ns()});
        if (attempt.syscall == "execveat")
            syscall(SYS_execveat, fd, "", argv.data(), environ, AT_EMPTY_PATH);
        else
            execve(attempt.path.c_str(), argv.data(), environ);
        send(context.fd, {Message::failed, index, tid, errno, monotonic_ns()});
    }
}

[[noreturn]] void run_attempts(const ChildContext &context)
{
    make_attempts(context);
    _exit(127);
}

void *thread_main(void *context)
{
    prctl(PR_SET_NAME, "pctl-cmp-thread");
    const auto &in_thread = *static_cast<ChildContext *>(context);
    make_attempts(in_thread);
    if (in_thread.last == in_thread.plan->attempts.size())  // nothing is left for the leader
        _exit(127);
    return nullptr;
}

[[noreturn]] void scenario_child(const Plan &plan, int fd)
{
    prctl(PR_SET_NAME, fmt::format("pctl-cmp-{}", plan.number).c_str());
    if (plan.as_uid) {
        if (setgroups(0, nullptr) != 0 || setgid(*plan.as_uid) != 0 || setuid(*plan.as_uid) != 0) {
            send(fd, {Message::setup_failed, 0, static_cast<std::uint32_t>(gettid()), errno, 0});
            _exit(125);
        }
    }
    if (!plan.from_thread)
        run_attempts({&plan, fd, 0, plan.attempts.size()});
    // The second thread makes the first attempt; the leader, once the thread has ended, the rest.
    ChildContext in_thread{&plan, fd, 0, 1};
    pthread_t thread;
    if (pthread_create(&thread, nullptr, thread_main, &in_thread) != 0)
        _exit(125);
    // The leader waits; a successful exec in the thread ends it (the kernel's de_thread).
    pthread_join(thread, nullptr);
    run_attempts({&plan, fd, 1, plan.attempts.size()});
}

std::vector<Plan> exec_plans(const std::vector<int> &numbers, const std::string &dir)
{
    const std::string not_executable = dir + "/not-executable";
    const std::string script = dir + "/pctl-script.sh";
    std::vector<Plan> plans;
    for (int number : numbers) {
        Plan plan;
        plan.number = number;
        auto add = [&](std::string suffix, std::string scenario, std::string description, std::string path,
                       std::vector<std::string> argv, std::string call = "execve") {
            Attempt attempt;
            attempt.suffix = std::move(suffix);
            attempt.scenario = std::move(scenario);
            attempt.description = std::move(description);
            attempt.syscall = std::move(call);
            attempt.raw_syscall = attempt.syscall == "execveat";  // libc's fexecve is not used
            attempt.path = std::move(path);
            attempt.argv = std::move(argv);
            plan.attempts.push_back(std::move(attempt));
        };
        switch (number) {
        case 1:
            add("", "success", "execve of a small binary", "/bin/true", {"true", "probectl-compare", "two words"});
            break;
        case 2:
            add("a", "enoent", "execve of a file that does not exist", "/nonexistent/probectl-compare",
                {"probectl-compare-enoent"});
            add("b", "eacces", "execve of a file without execute permission", not_executable, {"not-executable"});
            break;
        case 3: add("", "script", "execve of a #!/bin/sh script", script, {"pctl-script.sh", "arg1"}); break;
        case 4:
            add("", "fexecve", "execveat(fd of /bin/true, \"\", AT_EMPTY_PATH)", "/bin/true", {"true", "fexecve"},
                "execveat");
            break;
        case 5:
            plan.from_thread = true;
            add("", "thread", "execve from a second thread of a two-thread process", "/bin/true",
                {"true", "from-thread"});
            break;
        case 6: {
            std::vector<std::string> argv{"true", std::string(PCTL_ARG_LEN + 72, 'x')};
            for (int i = 2; i < PCTL_MAX_ARGS + 4; i++)
                argv.push_back(fmt::format("arg{}", i));
            plan.argv_over_limit = true;
            add("", "long-argv",
                fmt::format("execve with {} arguments, one of {} bytes", argv.size(), argv[1].size()), "/bin/true",
                argv);
            break;
        }
        case 7:
            plan.as_uid = kOtherUid;
            add("", "other-uid", fmt::format("execve as uid {}", kOtherUid), "/bin/true", {"true", "other-uid"});
            break;
        case 8:
            add("a", "path-search", "PATH search: first directory", "/nonexistent/probectl-bin-a/true",
                {"true", "path-search"});
            add("b", "path-search", "PATH search: second directory", "/nonexistent/probectl-bin-b/true",
                {"true", "path-search"});
            add("c", "path-search", "PATH search: found in /usr/bin", "/usr/bin/true", {"true", "path-search"});
            break;
        default: break;
        }
        plans.push_back(std::move(plan));
    }
    return plans;
}

// Runs one scenario's child and turns what it reported into the execs it made.
void run_scenario(const Plan &plan, WorkloadResult &result)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        result.notes.push_back(fmt::format("scenario {}: pipe failed: {}", plan.number, strerror(errno)));
        return;
    }
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        scenario_child(plan, fds[1]);
    }
    close(fds[1]);
    std::vector<Message> messages;
    Message message{};
    while (read(fds[0], &message, sizeof(message)) == static_cast<ssize_t>(sizeof(message)))
        messages.push_back(message);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    const std::uint64_t end_ns = monotonic_ns();

    std::vector<KnownExec> execs;
    for (const auto &m : messages) {
        if (m.kind == Message::setup_failed) {
            result.notes.push_back(fmt::format("scenario {} ({}) could not run: {}", plan.number,
                                               plan.attempts.front().scenario, strerror(m.err)));
            return;
        }
        if (m.kind == Message::failed || m.kind == Message::succeeded) {
            if (m.attempt < execs.size()) {
                execs[m.attempt].error = m.err;
                execs[m.attempt].created = m.created;
            }
            continue;
        }
        const Attempt &attempt = plan.attempts.at(m.attempt);
        KnownExec exec;
        exec.id = fmt::format("{}{}", plan.number, attempt.suffix);
        exec.scenario = attempt.scenario;
        exec.description = attempt.description;
        exec.tgid = static_cast<std::uint32_t>(child);
        exec.tid = m.tid;
        exec.start_ns = m.ns;
        exec.syscall = attempt.syscall;
        exec.raw_syscall = attempt.raw_syscall;
        exec.unseen = attempt.unseen;
        exec.path = attempt.syscall == "execveat" ? "" : attempt.path;
        exec.argv = attempt.argv;
        exec.uid = plan.as_uid.value_or(getuid());
        exec.argv_over_limit = plan.argv_over_limit;
        if (attempt.ends)  // the child has been reaped: its threads and it have ended
            exec.error = 0;
        // An attempt ends where its thread's next begins. Another thread's next attempt does not end
        // it: a thread's exit runs on after it has woken the leader that joins it.
        if (!execs.empty() && execs.back().tid == exec.tid)
            execs.back().end_ns = m.ns;
        execs.push_back(std::move(exec));
    }
    if (execs.empty())
        return;
    for (auto &exec : execs)
        if (exec.end_ns == 0)
            exec.end_ns = end_ns;
    // The last attempt reported no failure: it exec'd (or ended the process, as it meant to), unless
    // the child died before it could say.
    if (!execs.back().error && WIFEXITED(status) && WEXITSTATUS(status) != 127)
        execs.back().error = 0;
    for (auto &exec : execs)
        result.execs.push_back(std::move(exec));
}

// The scenarios' temporary folder: made by probectl before it forks the workload (the exec
// scenarios' files are made here too; the others' by the workload, before it says it is ready), and
// removed by probectl after: removing a folder opens and unlinks, which are events of their own
// when openat or unlinkat is compared.
Expected<std::string> make_files()
{
    char dir[] = "/tmp/probectl-compare-XXXXXX";
    if (!mkdtemp(dir))
        return fail(ErrorKind::workload, fmt::format("cannot create a temporary folder: {}", strerror(errno)),
                    "check that /tmp is writable");
    chmod(dir, 0755);  // the other-uid scenario runs nothing from here, but keep it readable
    const std::string base = dir;
    std::ofstream(base + "/not-executable") << "#!/bin/sh\nexit 0\n";
    std::ofstream(base + "/pctl-script.sh") << "#!/bin/sh\nexit 0\n";
    chmod((base + "/not-executable").c_str(), 0644);
    chmod((base + "/pctl-script.sh").c_str(), 0755);
    return base;
}

std::string result_json(const WorkloadResult &result)
{
    nlohmann::json out{
        {"execs", nlohmann::json::array()}, {"notes", result.notes}, {"command_status", result.command_status}};
    for (const auto &exec : result.execs)
        out["execs"].push_back(to_json(exec));
    return out.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

int exit_status(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

[[noreturn]] void workload_main(int release_fd, int report_fd, const std::string &event, const std::string &dir,
                                const std::vector<int> &numbers, const std::vector<std::string> &command,
                                const std::string &program)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // probectl gone: so is the workload
    prctl(PR_SET_NAME, kHarnessName);
    leak_check_off = true;
    setpgid(0, 0);  // its own process group: stop() ends the whole tree, and Ctrl-C reaches probectl only
    // probectl's stdout is the report's (--json is piped to jq): what the command prints goes to stderr
    dup2(STDERR_FILENO, STDOUT_FILENO);
    WorkloadResult result;
    // The scenarios' files and sockets are made before the hooks see anything: opening a file is an
    // event of its own when openat is compared.
    std::vector<Plan> plans;
    if (command.empty())
        plans = event == "execve" ? exec_plans(numbers, dir) : event_plans(event, numbers, dir);
    const char ready = 'r';  // probectl attaches its hooks only now
    if (write(report_fd, &ready, 1) != 1)
        _exit(0);
    char go = 0;
    if (read(release_fd, &go, 1) != 1)
        _exit(0);  // probectl gave up before releasing it
    close(release_fd);
    if (!command.empty()) {
        const pid_t child = fork();
        if (child == 0) {
            std::vector<char *> argv;
            for (const auto &arg : command)
                argv.push_back(const_cast<char *>(arg.c_str()));
            argv.push_back(nullptr);
            execv(program.c_str(), argv.data());  // found in PATH by Workload::command; argv[0] as typed
            _exit(127);
        }
        int status = 0;
        waitpid(child, &status, 0);
        result.command_status = exit_status(status);
    } else {
        for (const auto &plan : plans)
            run_scenario(plan, result);
    }
    const std::string text = result_json(result);
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(report_fd, text.data() + done, text.size() - done);
        if (n <= 0)
            break;
        done += static_cast<size_t>(n);
    }
    _exit(0);
}

// The program a command names: itself, with a slash; else the first executable of that name in
// PATH. The workload execs it by that path, so that its own search is no part of the comparison.
std::optional<std::string> find_executable(const std::string &name)
{
    auto runnable = [](const std::string &file) {  // a regular file with an execute bit (as execvp asks)
        struct stat st {};
        return stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(file.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos)
        return runnable(name) ? std::optional(name) : std::nullopt;
    const char *path = std::getenv("PATH");
    for (const auto &dir : split(path ? path : "/usr/local/bin:/usr/bin:/bin", ':'))
        if (std::string candidate = (dir.empty() ? "." : dir) + "/" + name; runnable(candidate))
            return candidate;
    return std::nullopt;
}

}  // namespace

const std::vector<Scenario> &scenarios(std::string_view event)
{
    return event == "execve" ? kScenarios : event_scenarios(event);
}

Expected<std::vector<int>> parse_scenarios(std::string_view event, std::string_view list)
{
    const auto &known = scenarios(event);
    if (known.empty())
        return fail(ErrorKind::usage, fmt::format("probectl has no built-in scenarios for {}", event),
                    fmt::format("give a command that calls it: probectl compare --event {} -- CMD ARGS", event));
    std::vector<int> numbers;
    if (list == "all") {
        for (const auto &scenario : known)
            numbers.push_back(scenario.number);
        return numbers;
    }
    for (const auto &item : split(list, ',')) {
        auto found = std::find_if(known.begin(), known.end(), [&](const Scenario &s) {
            return s.name == item || std::to_string(s.number) == item;
        });
        if (found == known.end()) {
            std::vector<std::string_view> names;
            for (const auto &scenario : known)
                names.push_back(scenario.name);
            return fail(ErrorKind::usage, fmt::format("--scenarios: {} has no scenario '{}'", event, item),
                        fmt::format("give numbers 1-{} or names ({}), separated by commas, or all", known.size(),
                                    fmt::join(names, ", ")));
        }
        if (std::find(numbers.begin(), numbers.end(), found->number) == numbers.end())
            numbers.push_back(found->number);
    }
    return numbers;
}

namespace {

Expected<std::unique_ptr<Workload>> fork_workload(std::unique_ptr<Workload> workload, const std::string &event,
                                                  const std::string &dir, const std::vector<int> &numbers,
                                                  const std::vector<std::string> &command,
                                                  const std::string &program, int &release_fd, int &report_fd,
                                                  pid_t &root)
{
    int release[2], report[2];
    if (pipe2(release, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0)
        return fail(ErrorKind::workload, fmt::format("cannot create the workload's pipes: {}", strerror(errno)));
    std::fflush(nullptr);
    root = fork();
    if (root < 0)
        return fail(ErrorKind::workload, fmt::format("cannot fork the workload: {}", strerror(errno)),
                    "check the process limit (ulimit -u)");
    if (root == 0) {
        close(release[1]);
        close(report[0]);
        workload_main(release[0], report[1], event, dir, numbers, command, program);
    }
    setpgid(root, root);  // as the child does: whichever runs first
    close(release[0]);
    close(report[1]);
    release_fd = release[1];
    report_fd = report[0];
    char ready = 0;  // the workload's files and sockets are made: nothing of that is seen by a hook
    if (read(report_fd, &ready, 1) != 1 || ready != 'r')
        return fail(ErrorKind::workload, "the workload ended before it was ready",
                    "run probectl -v compare to see why; check /tmp is writable");
    fcntl(report_fd, F_SETFL, O_NONBLOCK);
    return workload;
}

}  // namespace

Expected<std::unique_ptr<Workload>> Workload::builtin(std::string event, std::vector<int> numbers)
{
    std::unique_ptr<Workload> workload(new Workload());
    workload->event_ = std::move(event);
    workload->scenarios_ = std::move(numbers);
    auto files = make_files();
    if (!files)
        return std::unexpected(files.error());
    workload->files_ = *files;
    Workload &w = *workload;
    return fork_workload(std::move(workload), w.event_, w.files_, w.scenarios_, {}, {}, w.release_fd_,
                         w.report_fd_, w.root_);
}

Expected<std::unique_ptr<Workload>> Workload::command(std::vector<std::string> argv)
{
    if (argv.empty())
        return fail(ErrorKind::usage, "no command after --", "e.g. probectl compare -- /bin/sh -c 'ls; true'");
    const auto program = find_executable(argv.front());
    if (!program)
        return fail(ErrorKind::workload, fmt::format("command not found or not executable: {}", argv.front()),
                    "give a program in PATH or a path to an executable file");
    std::unique_ptr<Workload> workload(new Workload());
    workload->program_ = *program;
    workload->command_ = std::move(argv);
    Workload &w = *workload;
    return fork_workload(std::move(workload), w.event_, {}, {}, w.command_, w.program_, w.release_fd_,
                         w.report_fd_, w.root_);
}

Workload::~Workload()
{
    stop();
    if (!files_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(files_, ignored);
    }
    if (release_fd_ >= 0)
        close(release_fd_);
    if (report_fd_ >= 0)
        close(report_fd_);
    if (pid_fd_ >= 0)
        close(pid_fd_);
}

bool Workload::harness_event(const ExecEvent &event) const
{
    // a command's child bears the harness's name too until it execs: that exec is the command's own
    return event.tgid == static_cast<std::uint32_t>(root_) || (command_.empty() && event.comm == kHarnessName);
}

std::string Workload::description() const
{
    if (!command_.empty())
        return fmt::format("the command `{}` and its descendants", fmt::join(command_, " "));
    std::vector<std::string> names;
    for (int number : scenarios_)
        names.push_back(fmt::format("{} {}", number, scenarios(event_).at(static_cast<size_t>(number - 1)).name));
    return event_ == "execve" ? fmt::format("built-in scenarios {}", fmt::join(names, ", "))
                              : fmt::format("built-in scenarios of {}: {}", event_, fmt::join(names, ", "));
}

Expected<void> Workload::release()
{
    const char go = 'g';
    if (write(release_fd_, &go, 1) != 1)
        return fail(ErrorKind::workload, fmt::format("cannot release the workload: {}", strerror(errno)));
    close(release_fd_);
    release_fd_ = -1;
    return {};
}

int Workload::end_fd()
{
    if (pid_fd_ == -2)
        pid_fd_ = static_cast<int>(syscall(SYS_pidfd_open, root_, 0));
    return pid_fd_;
}

bool Workload::finished()
{
    char buffer[4096];
    ssize_t n;
    while ((n = read(report_fd_, buffer, sizeof(buffer))) > 0)
        report_.append(buffer, static_cast<size_t>(n));
    if (!reaped_ && waitpid(root_, &status_, WNOHANG) == root_)
        reaped_ = true;
    if (reaped_)
        while ((n = read(report_fd_, buffer, sizeof(buffer))) > 0)
            report_.append(buffer, static_cast<size_t>(n));
    return reaped_;
}

Expected<WorkloadResult> Workload::result() const
{
    const auto value = nlohmann::json::parse(report_, nullptr, false);
    if (value.is_discarded() || !value.is_object())
        return fail(ErrorKind::workload, fmt::format("the workload ended (status {}) without reporting its execs",
                                                     exit_status(status_)));
    WorkloadResult result;
    for (const auto &exec : value.at("execs")) {
        auto parsed = exec_from_json(exec);
        if (!parsed)
            return std::unexpected(parsed.error());
        result.execs.push_back(std::move(*parsed));
    }
    result.notes = value.at("notes").get<std::vector<std::string>>();
    result.command_status = value.at("command_status").get<int>();
    return result;
}

void Workload::stop()
{
    if (root_ > 0 && !reaped_) {
        kill(-root_, SIGKILL);
        kill(root_, SIGKILL);
        waitpid(root_, &status_, 0);
        reaped_ = true;
    }
}

}  // namespace probectl::compare
