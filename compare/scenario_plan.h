// What a built-in scenario does, as the workload runs it (compare/workload.cpp): one or more
// attempts, each announced before it is made, in a child of the workload of its own (or that
// child's second thread, then the child itself). An exec attempt is an exec of its path; any other
// attempt is made by its own function (compare/event_scenarios.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace probectl::compare {

// What a call did: 0 or the errno it failed with, and the task it created (a fork's child), whose
// events are the occurrence's too: the child's first view of a fork.
struct Outcome {
    Outcome(int error = 0, std::uint32_t created_tid = 0) : err(error), created(created_tid) {}  // NOLINT
    int err;
    std::uint32_t created;
};

struct Attempt {
    std::string suffix;  // "a", "b": several attempts in one scenario
    std::string scenario;
    std::string description;
    std::string syscall = "execve";
    std::string path;  // the file or address it names
    std::vector<std::string> argv;
    bool raw_syscall = false;  // made by syscall(2), not through libc's function of that name
    // It ends its thread or process (process-exit): it reports nothing, and its end, which the
    // workload sees (the thread joined, the child reaped), is its success.
    bool ends = false;
    // The hooks it passes by, as the scenario knows them: target kind name -> why ("syscall": "a
    // thread ends by exit, not exit_group"). The report gives that as the absence's cause.
    std::map<std::string, std::string> unseen;
    // A syscall's call: makes it and says how it went; empty for an exec.
    std::function<Outcome()> call;
};

struct Plan {
    int number = 0;
    std::vector<Attempt> attempts;
    bool from_thread = false;
    std::optional<uid_t> as_uid;
    bool argv_over_limit = false;
};

}  // namespace probectl::compare
