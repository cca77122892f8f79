// Which hook types took part in a probectl compare --json report, checked the same way by every
// kernel test of compare.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace probectl::test {

// Checks each hook type of the report: every registered one is listed; one the running kernel lacks
// is not attached, for the reason found independently (expected_hooks.h); one that `refused` names is
// not attached, for a reason containing its words; any other is attached and dropped no event.
// Returns the attached ones.
// probectl compare --event EVENT --json, and where the matrix keeps recordings (report_input_dir())
// --record DIR/EVENT.json: each kernel's comparisons, recorded as tested, for probectl report.
std::vector<std::string> compare_command(const std::string &event);

std::set<std::string> attached_hooks(const nlohmann::json &report,
                                     const std::map<std::string, std::string> &refused = {});

}  // namespace probectl::test
