#include "labs/command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>

extern char **environ;

namespace probectl::lab {

Expected<CommandResult> run_command(const std::vector<std::string> &argv)
{
    std::array<int, 2> pipe_fds{};
    if (pipe2(pipe_fds.data(), O_CLOEXEC) != 0)
        return fail(ErrorKind::internal, "pipe failed: " + errno_text(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    std::vector<char *> args;
    for (const auto &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
        close(pipe_fds[0]);
        return fail(ErrorKind::workload, fmt::format("could not run {}: {}", argv[0], errno_text(spawned)),
                    fmt::format("install {}, or put it on PATH", argv[0]), spawned);
    }
    CommandResult result;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = read(pipe_fds[0], buffer.data(), buffer.size())) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            result.output.append(buffer.data(), static_cast<size_t>(n));
    close(pipe_fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string command_line(const std::vector<std::string> &argv)
{
    std::string out;
    for (const auto &arg : argv)
        out += (out.empty() ? "" : " ") + arg;
    return out;
}

std::string build_tool(const char *configured, const char *name)
{
    std::error_code ec;
    return std::filesystem::exists(configured, ec) ? std::string(configured) : std::string(name);
}

}  // namespace probectl::lab
