// The labs' coding exercises: a starter .bpf.c the learner completes (labs/exercises/), checked by
// `probectl lab check N --solution FILE`, which compiles it with clang (or takes it compiled, as a
// BPF object), loads it, attaches every program by its SEC() name, runs the lab's workload and
// judges the records the program sent.
#pragma once

#include "labs/lab.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace probectl::lab {

// One struct exercise_event (labs/exercises/exercise.h), decoded.
struct ExerciseRecord {
    std::uint32_t pid = 0;
    std::uint32_t ppid = 0;
    std::int64_t retval = 0;
    std::string filename;
};

// A program's section, SEC("kind/target"): "uretprobe" and "libc.so.6:execve"; and what it is, in
// words that do not give the SEC() string away: "a uretprobe on libc's execve".
struct ExerciseSection {
    std::string_view kind;
    std::string_view target;
    std::string_view what;
};

struct Exercise {
    int lab = 0;
    std::string_view stem;  // labs/exercises/<stem>.start.bpf.c and <stem>.solution.bpf.c
    std::string_view hook;  // the hook type it is about: checkable only where that hook works
    // The programs it must have: one at each of these sections at least, and none elsewhere.
    std::vector<ExerciseSection> sections;
    std::string_view why_hook;  // what a program on another hook would miss
    // Runs the workload; returns the processes whose records are judged.
    std::function<Expected<std::vector<pid_t>>()> workload;
    // The claims about what the program sent, judged on those processes' records, in order.
    std::function<std::vector<Observation>(const std::vector<ExerciseRecord> &records)> judge;
    std::vector<std::string> claims;  // what judge() asserts, in order (for when nothing could run)
};

// In lab order.
const std::vector<Exercise> &all_exercises();
const Exercise *find_exercise(int lab);

// <stem>.start.bpf.c (or .solution.bpf.c) of the exercises' folder: the source tree's labs/exercises,
// or PREFIX/share/probectl/exercises when installed (loader/own_files.h).
std::string exercise_file(const Exercise &exercise, bool solution);

// Compiles, loads, attaches and runs the learner's file; every step is an observation.
Expected<std::vector<Observation>> check_solution(const Exercise &exercise, const std::string &path);

}  // namespace probectl::lab
