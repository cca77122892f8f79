// libbpf prints warnings and verifier logs through a callback; probectl routes them through spdlog
// so that they appear only with -v and never in the middle of event output.
#pragma once

#include <bpf/libbpf.h>

#include <string>
#include <string_view>

namespace probectl {

// Installs the callback. verbosity 0: libbpf silent; 1: libbpf warnings and info; 2: debug too.
void route_libbpf_log(int verbosity);

// The first line of a log that contains `needle`, trimmed; "" if none (the verifier's reason, out of
// its whole log).
std::string log_line_with(const std::string &log, std::string_view needle);

// Collects libbpf's whole log, debug lines included, while it lives (the labs show parts of it),
// then puts the previous callback back. One at a time.
class LibbpfLogCapture {
public:
    LibbpfLogCapture();
    ~LibbpfLogCapture();
    LibbpfLogCapture(const LibbpfLogCapture &) = delete;
    LibbpfLogCapture &operator=(const LibbpfLogCapture &) = delete;
    [[nodiscard]] const std::string &text() const { return text_; }

private:
    std::string text_;
    libbpf_print_fn_t previous_;
};

}  // namespace probectl
