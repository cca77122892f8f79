#include "bench/trigger.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

extern "C" [[gnu::noinline, gnu::used]] void probectl_bench_trigger(void)
{
    // One nop, as the kernel's own uprobe benchmark target (uprobe_target_nop): the kernel emulates
    // a probed nop instead of single-stepping it, so a uprobe costs one trap and a uretprobe two.
    asm volatile("nop" ::: "memory");
}

namespace probectl::bench {

TriggerRun trigger_for(Trigger trigger, double seconds)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    constexpr std::uint64_t kBatch = 256;  // calls between clock reads
    // getpgid of our own pid, not of 0: only a pid looked up passes the LSM hook (security_task_getpgid).
    const pid_t self = getpid();
    TriggerRun run;
    auto now = start;
    do {
        if (trigger == Trigger::syscall)
            for (std::uint64_t i = 0; i < kBatch; i++)
                syscall(SYS_getpgid, self);
        else
            for (std::uint64_t i = 0; i < kBatch; i++)
                probectl_bench_trigger();
        run.calls += kBatch;
        now = Clock::now();
    } while (now < deadline);
    run.seconds = std::chrono::duration<double>(now - start).count();
    return run;
}

const char *trigger_name(Trigger trigger)
{
    return trigger == Trigger::syscall ? "getpgid syscall" : "user function call";
}

}  // namespace probectl::bench
