#include "loader/spelling.h"

#include <fmt/format.h>
#include <rapidfuzz/distance/OSA.hpp>

#include <algorithm>

namespace probectl {

struct NearestNames::Scorer {
    rapidfuzz::CachedOSA<char> distance;
};

NearestNames::NearestNames(std::string_view name, std::size_t most)
    : scorer_(std::make_unique<Scorer>(Scorer{rapidfuzz::CachedOSA<char>(name)})), name_(name), most_(most),
      cutoff_(std::max<std::size_t>(2, name.size() / 3))
{
}

NearestNames::~NearestNames() = default;

void NearestNames::offer(std::string_view candidate)
{
    if (candidate == name_)
        return;
    // Beyond the cutoff, or no nearer than the worst kept when the list is full: not worth scoring in full.
    std::size_t cutoff = cutoff_;
    if (found_.size() == most_)
        cutoff = std::min(cutoff, found_.back().first - (found_.back().first > 0 ? 1 : 0));
    const std::size_t distance = scorer_->distance.distance(candidate, cutoff);
    if (distance > cutoff)
        return;
    auto at = std::ranges::upper_bound(found_, distance, {}, [](const auto &entry) { return entry.first; });
    found_.insert(at, {distance, std::string(candidate)});
    if (found_.size() > most_)
        found_.pop_back();
}

std::vector<std::string> NearestNames::best() const
{
    std::vector<std::string> names;
    for (const auto &[distance, name] : found_)
        if (distance == found_.front().first)  // the nearest, and those as near
            names.push_back(name);
    return names;
}

std::string did_you_mean(const std::vector<std::string> &names)
{
    if (names.empty())
        return "";
    if (names.size() == 1)
        return fmt::format("did you mean {}? ", names.front());
    return fmt::format("did you mean {} or {}? ", fmt::join(names.begin(), names.end() - 1, ", "), names.back());
}

}  // namespace probectl
