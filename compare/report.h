// The comparison itself: coverage (exec x hook, each absence with its cause), the fields each hook
// filled and where hooks disagree, the order and timing of the hooks per exec, and each hook's cost
// and losses. Built from a Recording alone; the renderers (compare/render_*.h) only lay it out.
#pragma once

#include "compare/recording.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace probectl::compare {

struct CoverageCell {
    std::size_t count = 0;  // events of this hook for this exec
    std::string cause;      // count 0: why not, in words ("" when probectl cannot say)
};

struct FieldValue {
    std::string hook;
    std::string value;  // raw bytes from the event; argv joined by spaces
    bool truncated = false;
};

struct FieldComparison {
    // filename, argv, comm, pid, old_pid, uid, retval; another event's: its values' names and ret
    std::string field;
    std::vector<FieldValue> values;  // one per hook event that filled the field
    bool agree = true;
    // When the hooks disagree as the exec's two sides must (those before it one value, those after
    // it another): why, in words; else empty
    std::string expected;
};

struct TimelineEntry {
    std::string hook;
    std::uint64_t offset_ns = 0;  // from the exec's first event
    std::uint32_t cpu = 0;
    std::uint32_t pid = 0;
    bool in_child = false;  // in the task the occurrence created: a fork's child, its first view
};

struct ExecReport {
    KnownExec exec;
    std::vector<CoverageCell> coverage;  // one per Report::hooks entry
    std::vector<FieldComparison> fields;
    std::vector<TimelineEntry> timeline;
    std::vector<std::string> truncated_by;  // hooks that flagged a cut filename or argv
};

struct HookSummary {
    HookRun run;
    std::size_t events = 0;     // read from its ring buffer
    std::size_t explained = 0;  // of which matched to an exec
    std::size_t execs_seen = 0;
    std::size_t with_filename = 0;  // of its events: how many carried each field
    std::size_t with_argv = 0;
    std::size_t with_retval = 0;
    std::size_t with_old_pid = 0;
};

struct OrderPattern {
    std::vector<std::string> hooks;  // in the order they fired
    std::size_t execs = 0;           // how many execs showed this order
};

struct Report {
    std::string kernel;
    std::string event;  // what was compared: "execve", a syscall ("openat"), a catalogued event
    std::string workload;
    bool execs_known = true;
    std::vector<HookSummary> hooks;
    std::vector<ExecReport> execs;
    std::vector<ExecEvent> unexplained;       // events that belong to no exec of the workload
    std::vector<OrderPattern> typical_order;  // most frequent first
    std::size_t unknown_causes = 0;           // absences probectl could not explain
};

Report build_report(const Recording &recording);

// What one occurrence of the event is called in the report: "exec" for execve, "call" for a syscall,
// "occurrence" for a catalogued event (their names are hyphenated: process-exit).
std::string_view occurrence_noun(std::string_view event);

// Average time in the program per run, from the kernel's run-time statistics; nullopt without them.
std::optional<double> ns_per_run(const HookRun &run);

// The hook's name for an event's hook id ("hook 12" when the recording does not name it).
std::string hook_name(const Report &report, std::uint32_t id);

// The full result as JSON (schema: docs/compare.md). Strings are made valid UTF-8.
nlohmann::json report_to_json(const Report &report);

}  // namespace probectl::compare
