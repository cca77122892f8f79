#include "loader/drop_watch.h"

#include <spdlog/spdlog.h>

namespace probectl {

DropWatch::DropWatch(std::vector<Watched> probes, std::chrono::milliseconds period)
    : probes_(std::move(probes)), reported_(probes_.size(), 0), period_(period),
      thread_([this](std::stop_token token) { run(token); })
{
}

DropWatch::~DropWatch()
{
    stop();
}

void DropWatch::stop()
{
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

void DropWatch::run(const std::stop_token &token)
{
    auto last = std::chrono::steady_clock::now();
    while (true) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, token, period_, [] { return false; }))
                return;
            if (token.stop_requested())
                return;
        }
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - last).count();
        last = now;
        for (size_t i = 0; i < probes_.size(); i++) {
            auto counters = probes_[i].probe->counters();
            if (!counters || counters->dropped <= reported_[i])
                continue;
            spdlog::warn("LOST {} {} events in the last {:.1f} s: the ring buffer is full because probectl reads "
                         "slower than the kernel writes ({} lost so far)",
                         counters->dropped - reported_[i], probes_[i].name, seconds, counters->dropped);
            reported_[i] = counters->dropped;
        }
    }
}

}  // namespace probectl
