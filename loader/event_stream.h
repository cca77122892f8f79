// Reads events from the ring buffers of one or more probes through one epoll set.
#pragma once

#include "loader/bpf_probe.h"
#include "loader/event_decode.h"

#include <bpf/libbpf.h>

#include <chrono>
#include <cstdint>
#include <functional>

namespace probectl {

class EventStream {
public:
    // Called for each decoded event; return false to stop consuming.
    using Handler = std::function<bool(const ExecEvent &)>;

    explicit EventStream(Handler handler);
    ~EventStream();
    EventStream(const EventStream &) = delete;
    EventStream &operator=(const EventStream &) = delete;

    Expected<void> add(const BpfProbe &probe);
    // Waits up to timeout for events and handles them. Returns the number handled; an interrupted
    // wait (a signal) returns 0.
    Expected<int> poll(std::chrono::milliseconds timeout);
    // The same, and the wait also ends when wake_fd becomes readable (a process's pidfd: its end).
    Expected<int> poll(std::chrono::milliseconds timeout, int wake_fd);
    // Handles everything already in the buffers, without waiting.
    Expected<int> drain();

    [[nodiscard]] std::uint64_t undecodable() const { return undecodable_; }
    [[nodiscard]] bool stopped() const { return stopped_; }

private:
    static int on_record(void *self, void *data, size_t size);

    Handler handler_;
    ring_buffer *ring_ = nullptr;
    std::uint64_t undecodable_ = 0;
    bool stopped_ = false;
};

}  // namespace probectl
