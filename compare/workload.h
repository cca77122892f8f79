// The workload of probectl compare: a process forked before any probe is attached, which waits until
// it is released, then runs the built-in scenarios of the compared event (each in a child of its
// own) or the user's command. Probes are filtered to its process tree. Every attempt of a scenario
// (an exec, a syscall's call) reports its thread, its start time (CLOCK_MONOTONIC, the clock of
// bpf_ktime_get_ns) and its errno, so the outcomes in the report are observed, not assumed.
#pragma once

#include "compare/recording.h"
#include "loader/error.h"

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace probectl::compare {

struct Scenario {
    int number;
    std::string_view name;
    std::string_view description;
};

// The event's built-in scenarios, in order: execve's eight; openat's, unlinkat's, connect's,
// tcp-connect's, process-exit's and process-fork's four (compare/event_scenarios.h); empty for an event that has
// none.
const std::vector<Scenario> &scenarios(std::string_view event);

// "all", or numbers and names separated by commas ("1,2,thread"); a one-line error otherwise, and
// for an event without built-in scenarios.
Expected<std::vector<int>> parse_scenarios(std::string_view event, std::string_view list);

struct WorkloadResult {
    std::vector<KnownExec> execs;    // built-in scenarios only
    std::vector<std::string> notes;  // scenarios that could not run here, and why
    int command_status = 0;          // the user's command: its exit status (128 + signal if killed)
};

class Workload {
public:
    // Forks the workload process and waits until it has made its scenarios' files and sockets; it
    // does nothing more until release(). event: one with built-in scenarios.
    static Expected<std::unique_ptr<Workload>> builtin(std::string event, std::vector<int> scenarios);
    // The user's command, found in PATH now, so that a missing one fails before anything is attached.
    static Expected<std::unique_ptr<Workload>> command(std::vector<std::string> argv);
    ~Workload();
    Workload(const Workload &) = delete;
    Workload &operator=(const Workload &) = delete;

    [[nodiscard]] pid_t root() const { return root_; }
    // An event of the harness, not of a scenario or the command: the root's (it only forks the
    // children and waits), or a scenario's child's before it takes its scenario's name (its return
    // from the root's fork, which process-fork's uretprobe sees).
    [[nodiscard]] bool harness_event(const ExecEvent &event) const;
    [[nodiscard]] std::string description() const;
    Expected<void> release();
    // Collects what the workload reported so far, without blocking; true once it has ended.
    bool finished();
    // Readable once the workload has ended (its pidfd), for a wait that ends with it; -1 when the
    // kernel has no pidfds (before 5.3): then only finished() tells.
    int end_fd();
    // What it reported; only after finished().
    Expected<WorkloadResult> result() const;
    // Ends the workload's whole tree now (Ctrl-C).
    void stop();

private:
    Workload() = default;
    pid_t root_ = -1;
    int release_fd_ = -1;
    int report_fd_ = -1;
    int pid_fd_ = -2;  // -2: not opened yet
    bool reaped_ = false;
    int status_ = 0;
    std::string report_;
    std::string event_ = "execve";
    std::string files_;  // the scenarios' temporary folder, removed with the workload
    std::vector<int> scenarios_;
    std::vector<std::string> command_;
    std::string program_;  // the command's file, as found in PATH
};

}  // namespace probectl::compare
