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

namespace {

// getpgid of our own pid, not of 0: only a pid looked up passes the LSM hook (security_task_getpgid).
void call(Trigger trigger, pid_t self, std::uint64_t calls)
{
    if (trigger == Trigger::syscall)
        for (std::uint64_t i = 0; i < calls; i++)
            syscall(SYS_getpgid, self);
    else
        for (std::uint64_t i = 0; i < calls; i++)
            probectl_bench_trigger();
}

}  // namespace

TriggerRun trigger_calls(Trigger trigger, std::uint64_t calls)
{
    using Steady = std::chrono::steady_clock;
    const pid_t self = getpid();
    const auto start = Steady::now();
    call(trigger, self, calls);
    return {calls, std::chrono::duration<double>(Steady::now() - start).count()};
}

TriggerRun trigger_for(Trigger trigger, double seconds)
{
    using Steady = std::chrono::steady_clock;
    const auto start = Steady::now();
    const auto deadline =
        start + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(seconds));
    constexpr std::uint64_t kCallsPerClockRead = 256;  // calls between clock reads
    const pid_t self = getpid();
    TriggerRun run;
    auto now = start;
    do {
        call(trigger, self, kCallsPerClockRead);
        run.calls += kCallsPerClockRead;
        now = Steady::now();
    } while (now < deadline);
    run.seconds = std::chrono::duration<double>(now - start).count();
    return run;
}

const char *trigger_name(Trigger trigger)
{
    return trigger == Trigger::syscall ? "getpgid syscall" : "user function call";
}

}  // namespace probectl::bench
