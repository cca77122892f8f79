#include "loader/name_set.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

namespace probectl {
namespace {

// A name's first eight bytes as a number that orders as the bytes do: most comparisons of a sort
// end there, without a call to memcmp.
std::uint64_t prefix_key(std::string_view name)
{
    unsigned char bytes[8] = {};
    std::memcpy(bytes, name.data(), std::min<std::size_t>(name.size(), sizeof(bytes)));
    std::uint64_t key = 0;
    for (unsigned char byte : bytes)
        key = (key << 8) | byte;
    return key;
}

}  // namespace

NameSet::NameSet(std::vector<std::string_view> names)
{
    std::vector<std::pair<std::uint64_t, std::string_view>> keyed;
    keyed.reserve(names.size());
    for (std::string_view name : names)
        keyed.emplace_back(prefix_key(name), name);
    std::sort(keyed.begin(), keyed.end());
    keyed.erase(std::unique(keyed.begin(), keyed.end()), keyed.end());
    std::size_t bytes = 0;
    for (const auto &[key, name] : keyed)
        bytes += name.size();
    auto text = std::make_shared<std::string>();
    text->reserve(bytes);
    for (const auto &[key, name] : keyed)
        text->append(name);
    names_.reserve(keyed.size());
    std::size_t at = 0;
    for (const auto &[key, name] : keyed) {
        names_.emplace_back(text->data() + at, name.size());
        at += name.size();
    }
    text_ = std::move(text);
}

NameSet::NameSet(std::initializer_list<std::string_view> names) : NameSet(std::vector<std::string_view>(names)) {}

bool NameSet::contains(std::string_view name) const
{
    return std::binary_search(names_.begin(), names_.end(), name);
}

NameSet::const_iterator NameSet::lower_bound(std::string_view name) const
{
    return std::lower_bound(names_.begin(), names_.end(), name);
}

}  // namespace probectl
