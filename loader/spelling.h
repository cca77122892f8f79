// The names nearest a misspelt one, for "did you mean" hints: edit distance with transpositions
// (rapidfuzz's optimal string alignment: vsf_read is one edit from vfs_read),
// offered candidate by candidate so a caller can walk kallsyms or tracefs' list without copying it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace probectl {

class NearestNames {
public:
    // At most `most` names, each at most max(2, a third of the name's length) edits away.
    explicit NearestNames(std::string_view name, std::size_t most = 3);
    ~NearestNames();
    NearestNames(const NearestNames &) = delete;
    NearestNames &operator=(const NearestNames &) = delete;

    void offer(std::string_view candidate);
    // The nearest, and those as near, in the order offered.
    [[nodiscard]] std::vector<std::string> best() const;

private:
    struct Scorer;
    std::unique_ptr<Scorer> scorer_;
    std::string name_;
    std::size_t most_;
    std::size_t cutoff_;
    std::vector<std::pair<std::size_t, std::string>> found_;  // (distance, name), at most `most`
};

// "did you mean a, b or c? " for the hint of a name not found; "" when nothing is near.
std::string did_you_mean(const std::vector<std::string> &names);

}  // namespace probectl
