// probectl bench's outputs: JSON (every sample kept), a terminal table, an HTML page with bar
// charts; and the goals, each marked met, not met, or not measured, from one run's ratios.
#pragma once

#include "bench/results.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace probectl::bench {

// rough: measured by a --quick run, whose short samples judge nothing
enum class GoalStatus { not_measured, met, not_met, rough };

struct Goal {
    std::string goal;
    GoalStatus status = GoalStatus::not_measured;
    std::string detail;  // the figures behind the verdict
};

std::vector<Goal> evaluate_goals(const Results &results);
std::string_view status_name(GoalStatus status);

// The counters every tier must balance (hits == triggers, events == execs x expected, drops
// accounted); empty when all balance. The smoke test and the command's exit status use it.
std::vector<std::string> inconsistencies(const Results &results);

nlohmann::json to_json(const Results &results);
std::string render_text(const Results &results);
std::string render_html(const Results &results);

}  // namespace probectl::bench
