// Workloads whose pid is known before they act: the child is forked and waits, so a probe can be
// filtered to it and attached before it execs (or does whatever else it was given).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace probectl::test {

class PendingChild {
public:
    // Forks a child named comm that, once released, runs action and exits 0 (action may exec or
    // _exit itself). The action runs in the forked child: async-signal-safe calls only.
    PendingChild(const std::function<void()> &action, const std::string &comm);
    ~PendingChild();
    PendingChild(const PendingChild &) = delete;
    PendingChild &operator=(const PendingChild &) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    // Lets the child act and waits for it; its exit code (128 + the signal that killed it).
    int release_and_wait();

private:
    pid_t pid_ = -1;
    int release_fd_ = -1;
    bool waited_ = false;
};

class PendingExec {
public:
    // Forks a child named comm that, once released, execs path with argv (and exits 127 if that fails).
    PendingExec(std::string path, std::vector<std::string> argv, const std::string &comm);

    [[nodiscard]] pid_t pid() const { return child_.pid(); }
    int release_and_wait() { return child_.release_and_wait(); }
    PendingChild &child() { return child_; }

private:
    std::string path_;
    std::vector<std::string> argv_;
    std::vector<char *> args_;
    PendingChild child_;
};

}  // namespace probectl::test
