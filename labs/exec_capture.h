// What several labs do: attach a few hook types at one target, filtered to this process's children,
// run a workload, and collect each hook's events; or say which hook type does not work here.
#pragma once

#include "loader/error.h"
#include "loader/event_decode.h"
#include "loader/value_spec.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace probectl::lab {

struct Capture {
    std::map<std::string, std::vector<ExecEvent>> events;  // by hook name
    std::map<std::string, std::string> attach_points;      // by hook name
    std::string unsupported;                      // "<hook> does not work on this kernel: <reason>"; nothing ran
    std::map<std::string, std::string> not_here;  // with Missing::skip: the hooks left out, and why
    std::map<std::string, ValueList> values;      // a generic capture's: what each hook's events read
};

// A hook type that does not work here stops the capture (it says which), or is left out.
enum class Missing { stop, skip };

Expected<Capture> capture(const std::vector<std::string> &hooks, std::string_view target,
                          const std::function<Expected<void>()> &workload, Missing missing = Missing::stop);

// "<hook> does not work on this kernel: <reason>" where the hook type does not work here; empty where
// it does.
std::string hook_problem(std::string_view hook);

// Runs `child` in a forked child (which should exec) and waits; fails unless it exits 0. The
// child's pid goes to *child_pid when given.
Expected<void> in_child(const std::function<void()> &child, pid_t *child_pid = nullptr);

// A child that execs `path` (copied to its stack first: a BPF program cannot fault in a page the
// child has not touched yet) with no arguments and no environment; fails unless it exits 0.
Expected<void> exec_in_child(std::string_view path, pid_t *child_pid = nullptr);

// The same, trying each path in turn (at most four) until one exec succeeds: all but the last
// are meant to fail and return.
Expected<void> exec_each_in_child(const std::vector<std::string_view> &paths, pid_t *child_pid = nullptr);

// A child whose second thread execs `path` (copied first, as above): the kernel's old_pid of that
// exec is the thread's id, not the process's. Its pid goes to *child_pid and the thread's id to
// *thread_id; fails unless the new image exits 0.
Expected<void> exec_from_thread(std::string_view path, pid_t *child_pid, pid_t *thread_id);

// "pid 12 filename '/bin/true' retval -1", with "(none)" for what the hook could not see.
std::string describe(const ExecEvent &event);

}  // namespace probectl::lab
