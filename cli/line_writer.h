// Event lines to standard output, written whole: a slow or stalled reader (a pipe) blocks the
// writer, never cuts a line in two, and a closed one (`| head`) ends the stream instead of killing
// probectl with SIGPIPE before it has detached and summarised.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace probectl {

class LineWriter {
public:
    // Ignores SIGPIPE for the process, so a closed reader shows as EPIPE.
    explicit LineWriter(int fd);

    // Writes line and a newline, retrying partial and interrupted writes. Once a stop signal has
    // arrived it waits at most `stop_grace` more for a blocked reader, then gives up on the line.
    // False when the line could not be written whole (reader gone or stuck after a stop).
    bool write(std::string_view line);

    [[nodiscard]] bool closed() const { return closed_; }
    [[nodiscard]] std::uint64_t unwritten() const { return unwritten_; }

    static constexpr std::chrono::seconds stop_grace{5};

private:
    int fd_;
    bool closed_ = false;
    std::uint64_t unwritten_ = 0;
};

}  // namespace probectl
