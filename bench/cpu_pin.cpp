#include "bench/cpu_pin.h"

namespace probectl::bench {

CpuPin::CpuPin()
{
    if (sched_getaffinity(0, sizeof(saved_), &saved_) != 0)
        return;
    int last = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &saved_))
            last = cpu;
    if (last < 0)
        return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(last, &one);
    if (sched_setaffinity(0, sizeof(one), &one) == 0)
        cpu_ = last;
}

CpuPin::~CpuPin()
{
    if (cpu_ >= 0)
        sched_setaffinity(0, sizeof(saved_), &saved_);
}

}  // namespace probectl::bench
