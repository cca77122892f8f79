// What one comparison run captured: the hooks that took part, the execs the workload made, and the
// raw events. It is the compare engine's whole input, and the --record / --replay file.
// No libbpf here: the engine is tested on recorded streams.
#pragma once

#include "loader/error.h"
#include "loader/event_decode.h"
#include "loader/hook_info.h"
#include "loader/value_spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace probectl::compare {

// One hook type as it took part in the run.
struct HookRun {
    std::uint32_t id = 0;  // enum pctl_hook
    std::string name;
    ExecPhase phase = ExecPhase::before_exec;
    TargetKind kind = TargetKind::kernel_function;
    bool attached = false;
    std::string attach_point;  // where it was attached ("bprm_execve", "syscalls:sys_enter_execve")
    std::string note;          // a substitution probectl made, in words
    std::string not_attached;  // why it took no part, in words ("kernel built without CONFIG_KPROBES")
    // The system call (or libc function) this hook is specific to ("execve", libc's "_exit"); empty
    // on the common exec path and at a kernel function.
    std::string entry_call;
    std::string filename_from;  // where its filename comes from; empty: it has none
    std::string argv_from;      // likewise for argv
    // A generic capture (an event other than execve): what each of its events' values is, in order,
    // and its return value's type; nullopt for an exec capture.
    std::optional<ValueList> values;
    // The kernel's counts for the program: emitted and dropped (ring buffer full) by probectl's own
    // counters; runs, run time and recursion misses from bpf_prog_info where the kernel gives them.
    std::uint64_t emitted = 0;
    std::uint64_t dropped = 0;
    std::optional<std::uint64_t> run_count;
    std::optional<std::uint64_t> run_time_ns;
    std::optional<std::uint64_t> recursion_misses;
};

// One occurrence of the compared event: an exec attempt for execve, one call of a syscall. Built-in
// scenarios know it before it happens; for a user's command it is inferred from the events (and the
// recording's execs_known is false).
// An inferred exec or call that failed, where no hook saw the errno: libc returned -1.
constexpr int kErrnoUnknown = -1;

struct KnownExec {
    std::string id;        // "1", "2a", "8c"
    std::string scenario;  // "success", "enoent", "path-search"
    std::string description;
    std::uint32_t tgid = 0;  // the process that made the attempt
    std::uint32_t tid = 0;   // the calling thread (differs from tgid for a non-leader thread's exec)
    // CLOCK_MONOTONIC (the clock of bpf_ktime_get_ns): the attempt began at start_ns, and the next
    // attempt of the process, or its end, came at end_ns. Events of this tgid in between are its own.
    std::uint64_t start_ns = 0;
    std::uint64_t end_ns = 0;
    std::string syscall;       // "execve" or "execveat"; the syscall called ("openat")
    bool raw_syscall = false;  // made by syscall(2), past libc's wrapper of that name
    // Hooks it passes by, as its scenario declares: target kind name ("syscall") -> why
    std::map<std::string, std::string> unseen;
    // A fork's child (its tid): its events in the window are the occurrence's (the child's first view)
    std::uint32_t created = 0;
    std::string path;  // as passed (empty for execveat with AT_EMPTY_PATH); a syscall's file or address
    std::vector<std::string> argv;
    // errno it failed with, 0 when it succeeded, kErrnoUnknown when it failed with an errno no hook saw
    // (libc's -1 alone); nullopt: unknown
    std::optional<int> error;
    std::uint32_t uid = 0;
    bool argv_over_limit = false;  // the workload passed more argv than a hook can capture
};

// What the kernel was, as far as the hooks care (format 4 on).
struct KernelFacts {
    std::string config_source;  // "/proc/config.gz", "/boot/config-<release>"; "" where unreadable
    // The options that decide which hook types work, each "y", "m", a value, or "" for not set
    // (none at all where the config was unreadable).
    std::map<std::string, std::string> config;
    bool btf = false;  // /sys/kernel/btf/vmlinux
    // Each kernel function a hook attached to, with its prototype as the kernel's BTF gives it
    // ("int bprm_execve(struct linux_binprm *bprm)"), or "" where the BTF has no such function.
    std::map<std::string, std::string> prototypes;
};

struct Recording {
    // 2: the event, each hook's values, each event's raw values, each occurrence's raw_syscall and
    // unseen; 3: probectl's version and whether the CPU was emulated; 4: the kernel's facts
    // (docs/recording.md). Earlier versions are read as they were written.
    static constexpr int kFormatVersion = 4;
    std::string kernel;                // release it ran on
    std::string probectl_version;      // of the probectl that recorded it ("" before version 3)
    bool emulated = false;             // under software CPU emulation (qemu TCG): timings mean little
    std::optional<KernelFacts> facts;  // nullopt before version 4
    std::string event = "execve";      // what was compared: execve, a syscall's name, a catalogued event
    std::string workload;              // in words
    bool execs_known = true;
    std::vector<HookRun> hooks;
    std::vector<KnownExec> execs;
    std::vector<ExecEvent> events;  // in the order they were read (not necessarily time order)
};

nlohmann::json to_json(const ExecEvent &event);
Expected<ExecEvent> event_from_json(const nlohmann::json &value);
nlohmann::json to_json(const KnownExec &exec);
Expected<KnownExec> exec_from_json(const nlohmann::json &value);
nlohmann::json to_json(const Recording &recording);
Expected<Recording> recording_from_json(const nlohmann::json &value);

Expected<void> write_recording(const std::string &path, const Recording &recording);
Expected<Recording> read_recording(const std::string &path);

}  // namespace probectl::compare
