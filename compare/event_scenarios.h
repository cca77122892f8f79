// The built-in scenarios of `probectl compare --event NAME` for events other than execve: for the
// syscalls openat, unlinkat and connect (and the declared tcp-connect, which is a connect), a
// success, a failure, a call from a second thread and a raw syscall(2), which libc's function of
// that name never sees; for process-exit, the four ways a process or thread ends; for process-fork,
// four ways a task is made (a fork's child is the occurrence's too). Each occurrence's thread, start
// time, errno and created task are reported by the workload, so the report's outcomes are observed,
// not assumed, and each scenario declares the hooks it passes by, and why. Other events take a
// command (`-- CMD`).
#pragma once

#include "compare/scenario_plan.h"
#include "compare/workload.h"

#include <string>
#include <string_view>
#include <vector>

namespace probectl::compare {

// The scenarios built in for this event; empty when there are none.
const std::vector<Scenario> &event_scenarios(std::string_view event);

// The plans of the chosen scenarios. dir: a private temporary folder for the files they name.
std::vector<Plan> event_plans(std::string_view event, const std::vector<int> &numbers, const std::string &dir);

}  // namespace probectl::compare
