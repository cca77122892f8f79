#include "tests/kernel/exec_workload.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char **environ;

namespace probectl::test {
namespace {

std::vector<char *> pointers_to(std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (auto &arg : argv)
        args.push_back(arg.data());
    args.push_back(nullptr);
    return args;
}

}  // namespace

PendingChild::PendingChild(const std::function<void()> &action, const std::string &comm)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0)
        throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        close(pipe_fds[1]);
        prctl(PR_SET_NAME, comm.c_str());
        char go;
        if (read(pipe_fds[0], &go, 1) == 1)
            action();
        _exit(0);
    }
    close(pipe_fds[0]);
    release_fd_ = pipe_fds[1];
}

PendingChild::~PendingChild()
{
    if (!waited_) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (release_fd_ >= 0)
        close(release_fd_);
}

int PendingChild::release_and_wait()
{
    char go = 'x';
    if (write(release_fd_, &go, 1) != 1)
        throw std::runtime_error("cannot release the child");
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Everything the child touches is prepared before fork: it only calls async-signal-safe functions.
PendingExec::PendingExec(std::string path, std::vector<std::string> argv, const std::string &comm)
    : path_(std::move(path)), argv_(std::move(argv)), args_(pointers_to(argv_)),
      child_(
          [this] {
              execve(path_.c_str(), args_.data(), environ);
              _exit(127);
          },
          comm)
{
}

}  // namespace probectl::test
