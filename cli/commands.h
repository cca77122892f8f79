// probectl's subcommands. Each returns the process exit code; errors are printed as one line.
#pragma once

#include "loader/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace probectl {

struct ListOptions {
    bool json = false;
};
int run_list(const ListOptions &options);

struct DoctorOptions {
    bool json = false;
};
int run_doctor(const DoctorOptions &options);

struct ExplainOptions {
    std::string target;
    bool json = false;
};
int run_explain(const ExplainOptions &options);

struct TargetsOptions {
    std::string pattern;   // a glob; empty: every attach point
    bool verbose = false;  // each with the arguments attach would decode
    bool json = false;
};
int run_targets(const TargetsOptions &options);

struct BtfOptions {
    std::string name;
    std::string file;  // empty: the running kernel's BTF
    bool offsets = false;
    bool json = false;
};
int run_btf(const BtfOptions &options);

struct AttachOptions {
    std::string type;
    std::string target;
    std::optional<std::uint32_t> pid;
    std::optional<std::uint32_t> uid;
    std::string comm;
    std::optional<std::uint64_t> count;
    std::optional<double> duration_s;
    bool json = false;
    bool strict = false;
    std::vector<std::string> args;  // --arg N:TYPE: read argument N as TYPE (generic capture)
    // execsnoop's conventions
    bool failed_only = false;             // -x: only events whose return value is negative
    bool quote = false;                   // -q: each argument in double quotes
    bool wall_clock = false;              // -T: the time of day, not seconds since the first event
    std::optional<std::size_t> max_args;  // --max-args N: show the first N arguments
    std::string cgroup;                   // --cgroup DIR: only tasks in this cgroup v2
    std::vector<std::string> command;     // after --: run this, and see only it and its descendants
};
int run_attach(const AttachOptions &options);

struct CompareOptions {
    std::string types;  // comma-separated hook types; empty: every hook type
    // execve, any syscall, or a catalogued event (attach/event_catalogue.h)
    std::string event = "execve";
    // "all": every built-in scenario of the event; a syscall without any needs a command
    std::string scenarios = "all";
    std::vector<std::string> command;  // after --: the user's command as the workload
    bool json = false;
    std::string markdown_file;
    std::string html_file;
    std::string record_file;
    std::string replay_file;
};
int run_compare(const CompareOptions &options);

// probectl report: recordings of compare from several kernels, side by side (compare/kernels.h).
struct ReportOptions {
    std::vector<std::string> files;
    bool json = false;
    bool all = false;           // every row, not only those that differ between kernels
    std::string markdown_file;  // also write the report as Markdown there
    std::string html_file;      // and as one HTML page
};
int run_report(const ReportOptions &options);

struct BenchOptions {
    std::string tiers;           // comma-separated: micro, exec, startup, pipeline; empty: all four
    std::string types;           // comma-separated hook types; empty: every hook type
    std::optional<int> samples;  // samples (micro, exec) and rounds (startup, pipeline)
    bool quick = false;          // short samples: checks that every tier runs, measures little
    bool json = false;
    std::string html_file;
};
int run_bench(const BenchOptions &options);
// The tiers, in the order bench runs them.
std::vector<std::string> bench_tiers();

struct LabOptions {
    std::string action;  // list, show, run, check, starter; or a lab number (run, then check)
    std::optional<int> number;
    bool json = false;
    std::string solution;  // check N --solution FILE: the learner's answer to lab N's coding exercise
};
int run_lab(const LabOptions &options);
// What `probectl lab ACTION` can do: list, show, run, check, starter.
std::vector<std::string> lab_actions();

// Prints "probectl: error: <message>. Hint: <hint>" and returns the error's exit code.
int report_error(const Error &error);

}  // namespace probectl
