#include "cli/line_writer.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <optional>
#include <string>

#include "loader/stop_signal.h"

namespace probectl {

LineWriter::LineWriter(int fd) : fd_(fd)
{
    std::signal(SIGPIPE, SIG_IGN);
}

bool LineWriter::write(std::string_view line)
{
    if (closed_) {
        unwritten_++;
        return false;
    }
    std::string data(line);
    data += '\n';
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> give_up;
    size_t done = 0;
    while (done < data.size()) {
        // Once asked to stop, write only what the reader has room for, so a stuck reader cannot
        // hold probectl (and the attached probe) for ever: a pipe with room takes PIPE_BUF bytes.
        const bool stopping = stop_signal() != 0;
        if (stopping) {
            if (!give_up)
                give_up = Clock::now() + stop_grace;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*give_up - Clock::now());
            if (left.count() <= 0) {
                closed_ = true;
                break;
            }
            pollfd out{fd_, POLLOUT, 0};
            if (::poll(&out, 1, static_cast<int>(std::min<long>(left.count(), 100))) <= 0)
                continue;
            if (out.revents & (POLLERR | POLLHUP | POLLNVAL)) {
                closed_ = true;
                break;
            }
        }
        const size_t chunk = stopping ? std::min<size_t>(PIPE_BUF, data.size() - done) : data.size() - done;
        const ssize_t n = ::write(fd_, data.data() + done, chunk);
        if (n > 0) {
            done += static_cast<size_t>(n);
        } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
            closed_ = true;  // EPIPE: the reader is gone; anything else: the output is unusable
            break;
        }
    }
    if (done < data.size()) {
        unwritten_++;
        return false;
    }
    return true;
}

}  // namespace probectl
