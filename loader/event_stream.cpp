#include "loader/event_stream.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <iterator>
#include <span>

namespace probectl {

EventStream::EventStream(Handler handler) : handler_(std::move(handler)) {}

EventStream::~EventStream()
{
    if (ring_)
        ring_buffer__free(ring_);
}

int EventStream::on_record(void *self, void *data, size_t size)
{
    auto *stream = static_cast<EventStream *>(self);
    if (stream->stopped_)
        return 0;
    auto event = decode_event(std::span(static_cast<const std::byte *>(data), size));
    if (!event) {
        stream->undecodable_++;
        spdlog::warn("{}", event.error().message);
        return 0;
    }
    if (!stream->handler_(*event))
        stream->stopped_ = true;
    return 0;
}

Expected<void> EventStream::add(const BpfProbe &probe)
{
    const int fd = bpf_map__fd(probe.events_map());
    if (!ring_) {
        ring_ = ring_buffer__new(fd, &EventStream::on_record, this, nullptr);
        if (!ring_) {
            int err = errno;
            return fail(ErrorKind::kernel, "creating the ring buffer reader failed: " + errno_text(err), "", err);
        }
        return {};
    }
    if (int err = ring_buffer__add(ring_, fd, &EventStream::on_record, this); err != 0)
        return fail(ErrorKind::kernel, "adding a ring buffer failed: " + errno_text(err), "", -err);
    return {};
}

Expected<int> EventStream::poll(std::chrono::milliseconds timeout)
{
    if (!ring_)
        return 0;
    int n = ring_buffer__poll(ring_, static_cast<int>(timeout.count()));
    if (n == -EINTR)
        return 0;
    if (n < 0)
        return fail(ErrorKind::kernel, "reading the ring buffer failed: " + errno_text(n), "", -n);
    return n;
}

Expected<int> EventStream::poll(std::chrono::milliseconds timeout, int wake_fd)
{
    if (!ring_)
        return 0;
    pollfd ready[] = {{ring_buffer__epoll_fd(ring_), POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (::poll(ready, std::size(ready), static_cast<int>(timeout.count())) < 0) {
        const int err = errno;
        if (err == EINTR)
            return 0;
        return fail(ErrorKind::kernel, "waiting for the ring buffer failed: " + errno_text(err), "", err);
    }
    return ready[0].revents ? drain() : 0;
}

Expected<int> EventStream::drain()
{
    if (!ring_)
        return 0;
    int n = ring_buffer__consume(ring_);
    if (n < 0)
        return fail(ErrorKind::kernel, "draining the ring buffer failed: " + errno_text(n), "", -n);
    return n;
}

}  // namespace probectl
