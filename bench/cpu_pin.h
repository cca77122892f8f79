// Pins the calling thread to one CPU for a measurement, and restores its affinity afterwards.
#pragma once

#include <sched.h>

namespace probectl::bench {

class CpuPin {
public:
    // The last CPU the thread may run on (CPU 0 takes more interrupts); -1 when pinning failed.
    CpuPin();
    ~CpuPin();
    CpuPin(const CpuPin &) = delete;
    CpuPin &operator=(const CpuPin &) = delete;
    [[nodiscard]] int cpu() const { return cpu_; }

private:
    cpu_set_t saved_{};
    int cpu_ = -1;
};

}  // namespace probectl::bench
