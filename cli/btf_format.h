// How probectl btf shows a definition: C with a header comment, and the layout table on request.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "loader/btf_query.h"

namespace probectl {

std::string btf_text(const BtfDefinition &definition, bool offsets);
nlohmann::json btf_json(const BtfDefinition &definition);

}  // namespace probectl
