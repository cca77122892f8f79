// What fires the micro tier's programs: the getpgid system call (kernel hooks) and a function of
// probectl's own binary that the compiler may not inline or drop (uprobes).
#pragma once

#include <cstdint>

extern "C" {
// The uprobe target: an empty, never-inlined function with a stable, unmangled symbol.
void probectl_bench_trigger(void);
}

namespace probectl::bench {

inline constexpr const char *kTriggerSymbol = "probectl_bench_trigger";

enum class Trigger { syscall, function };

struct TriggerRun {
    std::uint64_t calls = 0;
    double seconds = 0;  // measured, not asked for
    [[nodiscard]] double ns_per_call() const { return calls ? seconds * 1e9 / double(calls) : 0; }
};

// Calls the trigger in a tight loop for about `seconds`.
TriggerRun trigger_for(Trigger trigger, double seconds);
// Calls it exactly `calls` times, timed.
TriggerRun trigger_calls(Trigger trigger, std::uint64_t calls);

const char *trigger_name(Trigger trigger);

}  // namespace probectl::bench
