// Output folded at 80 columns, read back by tests: each line checked to fit, the folds undone.
#pragma once

#include <string>

namespace probectl::test {

// The text with each folded paragraph on one line again (a line indented deeper than four columns,
// after a line, continues it), CHECKing on the way that every line fits in 80 columns.
std::string unfolded(const std::string &text);

}  // namespace probectl::test
