// The built-in calls of `probectl compare --event SYSCALL` for openat, unlinkat and connect: a
// success, a failure, a call from a second thread and a raw syscall(2), which libc's function of
// that name never sees. Each call's thread, start time and errno are reported by the workload, so
// the report's outcomes are observed, not assumed. Other syscalls take a command (`-- CMD`).
#pragma once

#include "compare/scenario_plan.h"
#include "compare/workload.h"

#include <string>
#include <string_view>
#include <vector>

namespace probectl::compare {

// The scenarios built in for this syscall; empty when there are none.
const std::vector<Scenario> &call_scenarios(std::string_view syscall);

// The plans of the chosen scenarios. dir: a private temporary folder for the files they name.
std::vector<Plan> call_plans(std::string_view syscall, const std::vector<int> &numbers, const std::string &dir);

}  // namespace probectl::compare
