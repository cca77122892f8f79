// A set of names read once and then only looked up: kallsyms' some 120 000 function names. The
// names sit in one buffer and a sorted vector views them: built in a fraction of what std::set
// takes (a node, and often a string, allocated per name), which the kallsyms a command resolving a
// kernel function reads first used to spend most of its time on (docs/benchmarks.md, issue 20).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace probectl {

class NameSet {
public:
    using const_iterator = std::vector<std::string_view>::const_iterator;

    NameSet() = default;
    // Copies the names, sorted, each once.
    explicit NameSet(std::vector<std::string_view> names);
    NameSet(std::initializer_list<std::string_view> names);

    [[nodiscard]] bool contains(std::string_view name) const;
    // The first name not less than name: prefix scans start here.
    [[nodiscard]] const_iterator lower_bound(std::string_view name) const;
    [[nodiscard]] const_iterator begin() const { return names_.begin(); }
    [[nodiscard]] const_iterator end() const { return names_.end(); }
    [[nodiscard]] std::size_t size() const { return names_.size(); }
    [[nodiscard]] bool empty() const { return names_.empty(); }

private:
    std::shared_ptr<const std::string> text_;  // what names_ view; shared by copies
    std::vector<std::string_view> names_;
};

}  // namespace probectl
