// Running probectl (and other programs) from tests: output, exit status, and a background mode
// for commands that stream until stopped.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace probectl::test {

struct Finished {
    int exit_code = -1;  // or 128 + signal
    std::string out;
    std::string err;
};

// Runs argv[0] with argv, waits at most timeout (then SIGKILLs it and fails the test).
Finished run(const std::vector<std::string> &argv, std::chrono::seconds timeout = std::chrono::seconds(30));

// A command running in the background, its stdout and stderr going to files.
class Background {
public:
    enum class Stdout { file, pipe };
    // Stdout::pipe: standard output goes to a pipe whose read end stdout_pipe() gives (the test
    // reads it, at its own pace); wait() then returns no `out`.
    explicit Background(const std::vector<std::string> &argv, Stdout stdout_to = Stdout::file);
    ~Background();
    Background(const Background &) = delete;
    Background &operator=(const Background &) = delete;

    // Waits until stderr contains text; false on timeout or if the process ended first.
    bool wait_for_stderr(const std::string &text, std::chrono::seconds timeout);
    void signal(int signo) const;
    // Waits for the process to end; nullopt on timeout (it is then killed).
    std::optional<Finished> wait(std::chrono::seconds timeout);
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] int stdout_pipe() const { return pipe_read_; }
    // Closes the read end: the reader has gone away (as `| head` does).
    void close_stdout_pipe();

private:
    pid_t pid_ = -1;
    std::string out_path_;
    std::string err_path_;
    int pipe_read_ = -1;
    bool reaped_ = false;
    int status_ = 0;
};

// A timeout scaled by PROBECTL_TEST_TIME_SCALE (scripts/vm sets it: software emulation is many
// times slower than the machine the timeouts were chosen on, and a loaded CI host slower still).
std::chrono::milliseconds scaled(std::chrono::milliseconds base);
// True on a kernel that scripts/vm/run.sh booted under software emulation (probectl.emulated= on
// its command line): there a test may do less of what does not depend on the kernel, and says why.
bool emulated();
// How long unloaded programs may take to leave the kernel (they are freed after an RCU grace period).
std::chrono::milliseconds unload_grace();

// This process's comm (its binary's name, cut to 15 bytes): an exec it starts has it until exec.
std::string own_comm();

// Path of the probectl binary under test (set by CMake).
std::string probectl_binary();
// tests/data of the source tree; the BTF sample the build compiled; the exercises' objects (tests/CMakeLists.txt).
std::string test_data_dir();
// Where the kernel matrix keeps what the kernel tests record for `probectl report` (compare's
// recordings, bench's results): PROBECTL_RECORD_DIR, set by scripts/vm/kernel-tests.sh; "" elsewhere.
std::string report_input_dir();
std::string btf_sample_path();
std::string exercise_object_dir();

}  // namespace probectl::test
