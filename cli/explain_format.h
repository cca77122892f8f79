// How probectl explain shows its report: facts, then one line per hook, then the alternatives.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "attach/explain.h"

namespace probectl {

std::string explain_text(const ExplainReport &report);
nlohmann::json explain_json(const ExplainReport &report);

}  // namespace probectl
