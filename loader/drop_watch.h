// Watches the kernel-side drop counters of running probes from a thread of its own and warns as
// soon as events are lost: a summary at the end is too late for someone watching a storm scroll by,
// and the thread that shows events may itself be what is slow (blocked writing to a full pipe).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "loader/bpf_probe.h"

namespace probectl {

class DropWatch {
public:
    struct Watched {
        std::string name;  // the hook, as the warning names it
        const BpfProbe *probe = nullptr;
    };

    // Starts watching; the probes must outlive the DropWatch (destroy it before detaching them).
    explicit DropWatch(std::vector<Watched> probes, std::chrono::milliseconds period = std::chrono::seconds(1));
    ~DropWatch();
    DropWatch(const DropWatch &) = delete;
    DropWatch &operator=(const DropWatch &) = delete;

    // Stops the thread (idempotent); after it returns no warning is printed any more.
    void stop();

private:
    void run(const std::stop_token &token);

    std::vector<Watched> probes_;
    std::vector<std::uint64_t> reported_;  // per probe: drops already warned about
    std::chrono::milliseconds period_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;
};

}  // namespace probectl
