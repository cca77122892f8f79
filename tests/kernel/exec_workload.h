// Execs whose pid is known before they happen: the child is forked and waits, so a probe can be
// filtered to it and attached before it execs.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace probectl::test {

class PendingExec {
public:
    // Forks a child named comm that, once released, execs path with argv (and exits 127 if that fails).
    PendingExec(std::string path, std::vector<std::string> argv, const std::string &comm);
    ~PendingExec();
    PendingExec(const PendingExec &) = delete;
    PendingExec &operator=(const PendingExec &) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    // Lets the child exec and waits for it; its exit code.
    int release_and_wait();

private:
    std::string path_;
    std::vector<std::string> argv_;
    pid_t pid_ = -1;
    int release_fd_ = -1;
    bool waited_ = false;
};

}  // namespace probectl::test
