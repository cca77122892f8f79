// What probectl bench measures: one struct per tier, and the machine it was measured on. Every
// figure that compares hooks is a ratio or a difference within one run (these machines are noisy).
#pragma once

#include "loader/event_producer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace probectl::bench {

// min / median / max of a few samples.
struct Spread {
    double min = 0;
    double median = 0;
    double max = 0;
};
Spread spread_of(std::vector<double> values);

struct Environment {
    std::string date;  // UTC, ISO 8601
    std::string kernel;
    std::string cpu_model;
    unsigned cores = 0;
    std::string virtualization;  // "none", "kvm", "qemu", "docker", ... as far as it can be seen
    bool emulated = false;       // software CPU emulation (qemu TCG): absolute figures mean little
    std::vector<std::pair<std::string, std::string>> mitigations;  // vulnerabilities/<name>: status
};

// Micro tier: a trivial program on each hook, fired by a tight trigger loop on one pinned CPU.
struct MicroBaseline {
    std::string trigger;              // "getpgid syscall" or "user function call"
    std::vector<double> ns_per_call;  // one per sample
};

struct MicroHook {
    std::string hook;
    std::string trigger;              // the baseline it is measured against
    std::string attach_point;         // where the benchmark program was attached
    std::string not_measured;         // why not (unsupported here, attach failed); empty when measured
    std::vector<double> ns_per_call;  // one per sample
    std::vector<double> added_ns;     // each sample minus the baseline sample taken just before it
    std::uint64_t triggers = 0;       // in the measured samples
    std::uint64_t hits = 0;           // counted by the program in those samples
};

// probectl's own objects at the same attach point, events read: the hook's exec object (task
// fields in a 2.4 KB record) against its generic object (the attach point's arguments, typed, in a
// 1.7 KB record), each sample's trigger cost minus the no-hook baseline taken just before it.
struct CaptureCost {
    std::string hook;
    std::string decodes;       // what the generic object reads there
    std::string not_measured;  // why not; empty when measured
    std::vector<double> exec_added_ns;
    std::vector<double> generic_added_ns;
    std::uint64_t events = 0;  // read from the ring buffer, both objects
    std::uint64_t triggers = 0;
    // one event a trigger; false where the attach point also sees other calls (sys_enter: every
    // syscall of probectl's, those that read the buffer too), so that only fewer is wrong
    bool exact = true;
};

struct MicroTier {
    int cpu = -1;  // the CPU the trigger loop was pinned to
    int samples = 0;
    double sample_seconds = 0;
    std::vector<MicroBaseline> baselines;
    std::vector<MicroHook> hooks;
    std::vector<CaptureCost> capture;  // hooks with a generic object
};

// Exec tier: an exec storm (vfork + exec of a tiny static helper) with each hook attached and with
// none, alternated.
struct ExecHook {
    std::string hook;
    std::string attach_point;
    std::string not_measured;
    std::vector<double> ns_per_exec;
    std::vector<double> added_ns;  // each sample minus the no-hook sample taken just before it
    std::uint64_t execs = 0;
    std::uint64_t events = 0;        // events read from the ring buffer
    std::uint64_t emitted = 0;       // the program's own count
    std::uint64_t dropped = 0;       // ring buffer full
    unsigned expected_per_exec = 1;  // a uretprobe on execve sees no successful exec: 0
};

// Every hook attached at once, one storm per CPU: the highest exec rate, and whether anything dropped.
struct ExecFlood {
    unsigned workers = 0;
    double seconds = 0;
    std::uint64_t execs = 0;
    std::vector<std::string> hooks;
    std::uint64_t events = 0;
    std::uint64_t expected_events = 0;
    std::uint64_t dropped = 0;
    std::uint32_t ring_bytes = 0;
};

struct ExecTier {
    std::string helper;
    int samples = 0;
    double sample_seconds = 0;
    std::vector<double> baseline_ns_per_exec;
    std::vector<ExecHook> hooks;
    std::optional<ExecFlood> flood;
};

// Start-up tier: open, load and attach each hook at its exec attach point, then detach.
struct StartupHook {
    std::string hook;
    std::string not_measured;
    std::vector<double> open_ms, load_ms, attach_ms, detach_ms;
};

// One program started from nothing until it shows its first exec through the tracepoint, and until
// it has ended (detached), with its peak memory: probectl attach, the libbpf floor, bpftrace.
struct FirstEventTool {
    std::string tool;  // "probectl", "floor" (bench/floor_loader.c), "bpftrace"
    std::string command;
    std::string not_measured;
    std::vector<double> first_event_ms, end_ms, peak_mib;
};

struct StartupTier {
    int rounds = 0;
    std::vector<FirstEventTool> first_event;  // interleaved rounds, the same trigger for all
    double symbols_ms = 0;    // kallsyms and kernel BTF read for target resolution (once per process, when needed)
    double btf_parse_ms = 0;  // one parse of the kernel's BTF (libbpf repeats it for every object)
    std::vector<StartupHook> hooks;
    std::vector<std::string> together_hooks;
    std::vector<double> together_ms;         // all of them opened, loaded and attached, as compare does:
                                             // kTrialWorkers at once (loader/concurrent.h)
    std::vector<double> together_detach_ms;  // and all detached at once
};

// Pipeline tier: probectl's own userspace path, ring buffer -> decode -> sink.
struct PipelineSink {
    std::string sink;                  // "null", "ndjson" (attach --json) or "table" (attach's rows)
    std::vector<double> events_per_s;  // one per round: a full buffer drained
    std::uint64_t events = 0;          // consumed over all rounds
    std::uint64_t produced = 0;
};

using PipelineStall = RingStall;  // loader/event_producer.h

struct PipelineTier {
    std::uint32_t event_bytes = 0;
    std::uint32_t ring_bytes = 0;  // the buffer the throughput rounds fill
    std::vector<PipelineSink> sinks;
    std::optional<PipelineStall> stall;
};

struct Results {
    Environment environment;
    // --quick: short samples that check every tier runs; its figures are rough and judge no goal
    bool quick = false;
    std::optional<MicroTier> micro;
    std::optional<ExecTier> exec;
    std::optional<StartupTier> startup;
    std::optional<PipelineTier> pipeline;
};

}  // namespace probectl::bench
