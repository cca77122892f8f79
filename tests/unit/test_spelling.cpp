// The nearest names to a misspelt one: what "did you mean" hints offer.
#include <catch2/catch.hpp>

#include "loader/spelling.h"

#include <string>
#include <vector>

using probectl::did_you_mean;
using probectl::NearestNames;

namespace {

std::vector<std::string> nearest(const std::string &name, const std::vector<std::string> &candidates)
{
    NearestNames names(name);
    for (const auto &candidate : candidates)
        names.offer(candidate);
    return names.best();
}

}  // namespace

TEST_CASE("the nearest names: few edits away, only the nearest (and those as near)", "[spelling]")
{
    const std::vector<std::string> tracepoints{"sched:sched_switch", "sched:sched_waking", "sched:sched_wakeup",
                                               "syscalls:sys_enter_openat"};
    CHECK(nearest("sched:sched_swich", tracepoints) == std::vector<std::string>{"sched:sched_switch"});
    // sched_wakeup is three edits from sched_wakin, sched_waking one: left out.
    CHECK(nearest("sched:sched_wakin", tracepoints) == std::vector<std::string>{"sched:sched_waking"});
    CHECK(nearest("vfs_reed", {"vfs_read", "vfs_readv", "vfs_write", "kernel_read"}) ==
          std::vector<std::string>{"vfs_read"});
    CHECK(nearest("vfs_rea", {"vfs_read", "vfs_reap", "vfs_readv"}) ==
          std::vector<std::string>{"vfs_read", "vfs_reap"});
    // Two letters swapped are one edit: vfs_read, not the names two substitutions away.
    CHECK(nearest("vsf_read", {"lsm_read", "msr_read", "vcs_read", "vfs_read"}) ==
          std::vector<std::string>{"vfs_read"});
    // Too far from anything (a third of the name's length, at least two edits): nothing.
    CHECK(nearest("xyz", {"vfs_read", "openat"}).empty());
    CHECK(nearest("openat", {"openat"}).empty());  // the name itself is no suggestion
    // At most three, even when more are as near.
    CHECK(nearest("read_a", {"read_b", "read_c", "read_d", "read_e"}).size() == 3);
}

TEST_CASE("did you mean: one name, a list, or nothing", "[spelling]")
{
    CHECK(did_you_mean({}).empty());
    CHECK(did_you_mean({"vfs_read"}) == "did you mean vfs_read? ");
    CHECK(did_you_mean({"openat", "openat2"}) == "did you mean openat or openat2? ");
    CHECK(did_you_mean({"a", "b", "c"}) == "did you mean a, b or c? ");
}
