#include "tests/support/process.h"

#include "loader/text.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace probectl::test {
namespace {

std::string temp_path(const char *tag)
{
    std::string pattern = std::string("/tmp/probectl-test-") + tag + "-XXXXXX";
    int fd = mkstemp(pattern.data());
    if (fd < 0)
        throw std::runtime_error("mkstemp failed");
    close(fd);
    return pattern;
}

int decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

std::string probectl_binary()
{
    return PROBECTL_BINARY;
}

std::string test_data_dir()
{
    return PROBECTL_TEST_DATA;
}

std::string btf_sample_path()
{
    return PROBECTL_BTF_SAMPLE;
}

std::string exercise_object_dir()
{
    return PROBECTL_EXERCISE_OBJECT_DIR;
}

Background::Background(const std::vector<std::string> &argv, Stdout stdout_to)
    : out_path_(temp_path("out")), err_path_(temp_path("err"))
{
    int pipe_fds[2] = {-1, -1};
    if (stdout_to == Stdout::pipe && pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw std::runtime_error("cannot make a pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (stdout_to == Stdout::pipe)
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    else
        posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_TRUNC, 0600);
    std::vector<char *> args;
    for (const auto &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    int err = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (stdout_to == Stdout::pipe) {
        close(pipe_fds[1]);
        pipe_read_ = pipe_fds[0];
    }
    if (err != 0)
        throw std::runtime_error("cannot start " + argv[0]);
}

Background::~Background()
{
    if (!reaped_ && pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (pipe_read_ >= 0)
        close(pipe_read_);
    unlink(out_path_.c_str());
    unlink(err_path_.c_str());
}

std::chrono::milliseconds scaled(std::chrono::milliseconds base)
{
    static const double factor = [] {
        const char *text = std::getenv("PROBECTL_TEST_TIME_SCALE");
        const double value = text ? std::atof(text) : 1.0;
        return value >= 1.0 ? value : 1.0;
    }();
    return std::chrono::milliseconds(static_cast<std::int64_t>(double(base.count()) * factor));
}

std::string own_comm()
{
    std::string comm = read_text_file("/proc/self/comm");
    if (!comm.empty() && comm.back() == '\n')
        comm.pop_back();
    return comm;
}

bool emulated()
{
    static const bool value = read_text_file("/proc/cmdline").find("probectl.emulated=") != std::string::npos;
    return value;
}

std::string report_input_dir()
{
    const char *dir = std::getenv("PROBECTL_RECORD_DIR");
    return dir ? dir : "";
}

std::chrono::milliseconds unload_grace()
{
    return scaled(std::chrono::milliseconds(2000));
}

bool Background::wait_for_stderr(const std::string &text, std::chrono::seconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (std::chrono::steady_clock::now() < deadline) {
        if (read_text_file(err_path_).find(text) != std::string::npos)
            return true;
        if (waitpid(pid_, &status_, WNOHANG) == pid_) {
            reaped_ = true;
            return read_text_file(err_path_).find(text) != std::string::npos;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void Background::close_stdout_pipe()
{
    if (pipe_read_ >= 0)
        close(pipe_read_);
    pipe_read_ = -1;
}

void Background::signal(int signo) const
{
    kill(pid_, signo);
}

std::optional<Finished> Background::wait(std::chrono::seconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (!reaped_) {
        pid_t done = waitpid(pid_, &status_, WNOHANG);
        if (done == pid_) {
            reaped_ = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return Finished{decode_status(status_), read_text_file(out_path_), read_text_file(err_path_)};
}

Finished run(const std::vector<std::string> &argv, std::chrono::seconds timeout)
{
    Background process(argv);
    auto finished = process.wait(timeout);
    if (!finished)
        throw std::runtime_error(argv[0] + " did not finish in time");
    return *finished;
}

}  // namespace probectl::test
