#include "tests/kernel/capture.h"

#include <catch2/catch.hpp>

#include "loader/event_stream.h"

namespace probectl::test {

std::vector<ExecEvent> capture_child(const AttachStrategy &strategy, const ResolvedTarget &resolved,
                                     PendingChild &child, int &exit_code)
{
    ProbeFilter filter;
    filter.tgid = static_cast<std::uint32_t>(child.pid());
    auto probe = strategy.attach(resolved, filter);
    INFO("attach error: " << (probe ? "" : probe.error().one_line()));
    REQUIRE(probe);

    std::vector<ExecEvent> events;
    EventStream stream([&](const ExecEvent &event) {
        events.push_back(event);
        return true;
    });
    REQUIRE(stream.add(**probe));
    exit_code = child.release_and_wait();
    REQUIRE(stream.drain());
    CHECK(stream.undecodable() == 0);
    auto counters = (*probe)->counters();
    REQUIRE(counters);
    CHECK(counters->emitted == events.size());
    CHECK(counters->dropped == 0);
    return events;
}

}  // namespace probectl::test
