// What a built-in scenario does, as the workload runs it (compare/workload.cpp): one or more
// attempts, each announced before it is made, in a child of the workload of its own (or that
// child's second thread, then the child itself). An exec attempt is an exec of its path; any other
// attempt is made by its own function (compare/event_scenarios.h).
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace probectl::compare {

struct Attempt {
    std::string suffix;  // "a", "b": several attempts in one scenario
    std::string scenario;
    std::string description;
    std::string syscall = "execve";
    std::string path;  // the file or address it names
    std::vector<std::string> argv;
    bool raw_syscall = false;  // made by syscall(2), not through libc's function of that name
    // The hooks it passes by, as the scenario knows them: target kind name -> why ("syscall": "a
    // thread ends by exit, not exit_group"). The report gives that as the absence's cause.
    std::map<std::string, std::string> unseen;
    // A syscall's call: makes it and returns 0 or the errno it failed with; empty for an exec.
    std::function<int()> call;
};

struct Plan {
    int number = 0;
    std::vector<Attempt> attempts;
    bool from_thread = false;
    std::optional<uid_t> as_uid;
    bool argv_over_limit = false;
};

}  // namespace probectl::compare
