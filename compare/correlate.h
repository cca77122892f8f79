// Which occurrence of the event (an exec, a syscall's call, ...) each event belongs to. Built-in
// scenarios know every occurrence's thread and time window in advance; a user's command does not,
// so its occurrences are inferred from the events themselves.
#pragma once

#include "compare/recording.h"

#include <cstddef>
#include <vector>

namespace probectl::compare {

struct Correlation {
    std::vector<KnownExec> execs;                // the recording's, or those inferred from its events
    std::vector<std::vector<size_t>> events_of;  // per exec: indices into recording.events, in time order
    std::vector<size_t> unexplained;             // events that belong to no exec, in time order
};

// Known occurrences: an event belongs to the one whose process (tgid; for an event other than
// execve, whose thread too) it ran in and whose window holds its time. Events may come in any order
// (ring buffers are per hook, CPUs interleave).
// Unknown ones: each process's events (each thread's, for an event other than execve) in time order,
// a new occurrence beginning wherever a hook repeats or a hook runs at an earlier phase than one
// already seen (entry hooks come before post-exec hooks, which come before return hooks).
Correlation correlate(const Recording &recording);

}  // namespace probectl::compare
