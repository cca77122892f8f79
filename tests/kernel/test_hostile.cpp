// Hostile input: programs whose names and arguments carry terminal escapes, bidi overrides,
// newlines and invalid UTF-8, or exceed every limit; uprobe targets that are not what they seem.
// The terminal output never carries a raw control byte or direction-changing code point, every
// JSON line parses with a strict parser, truncation is always flagged, and each bad target gets a
// clear error and leaves nothing loaded.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <grp.h>
#include <nlohmann/json.hpp>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "loader/bpf_inventory.h"
#include "loader/escape.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr uid_t kHostileUid = 64123;  // the execs run as this user, so --uid selects exactly them

struct Fragment {
    std::string what;
    std::string bytes;
};

const std::vector<Fragment> &fragments()
{
    static const std::vector<Fragment> list{
        {"CSI colour", "\x1b[31mred\x1b[0m"},
        {"CSI clear screen", "\x1b[2J\x1b[H"},
        {"OSC window title", "\x1b]0;owned\x07"},
        {"OSC 8 hyperlink", "\x1b]8;;http:x\x1b\\link\x1b]8;;\x1b\\"},
        {"BEL", "\x07\x07"},
        {"backspace over text", "shadow\b\b\b\b\b\bpasswd"},
        {"carriage return", "ok\rEVIL"},
        {"newline", "one\ntwo"},
        {"DEL", "a\x7f"},
        {"C1 CSI, raw byte", "\x9b"
                             "31m"},
        {"C1 CSI, UTF-8", "\xc2\x9b"
                          "31m"},
        {"bidi override U+202E", "\xe2\x80\xae"
                                 "fdp.exe"},
        {"bidi isolate U+2066", "\xe2\x81\xa6x\xe2\x81\xa9"},
        {"Arabic letter mark U+061C", "\xd8\x9c"},
        {"zero-width space U+200B", "a\xe2\x80\x8b"
                                    "b"},
        {"line separator U+2028", "a\xe2\x80\xa8"
                                  "b"},
        {"invalid UTF-8", "\xff\xfe"},
        {"overlong slash", "\xc0\xaf"},
        {"truncated sequence", "\xe2\x80"},
        {"tab", "a\tb"},
    };
    return list;
}

// Why these bytes must not reach a terminal raw; empty when the text is safe.
std::string terminal_hazard(const std::string &text)
{
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n') || c == 0x7f)
                return fmt::format("raw control byte 0x{:02x} at {}", c, i);
            i++;
            continue;
        }
        const int length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (length == 0 || i + static_cast<size_t>(length) > text.size())
            return fmt::format("invalid UTF-8 at {}", i);
        char32_t cp = c & (0xff >> (length + 1));
        for (int k = 1; k < length; k++) {
            const auto cont = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
            if ((cont & 0xc0) != 0x80)
                return fmt::format("invalid UTF-8 at {}", i);
            cp = (cp << 6) | (cont & 0x3f);
        }
        if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
            (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff)
            return fmt::format("code point U+{:04X} at {}", static_cast<std::uint32_t>(cp), i);
        i += static_cast<size_t>(length);
    }
    return "";
}

// Runs path with argv as kHostileUid, with an empty environment; its exit status (or 128 + signal).
int exec_as_hostile_user(const std::string &path, const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const auto &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    char *no_env[] = {nullptr};
    const pid_t child = fork();
    if (child == 0) {
        if (setgroups(0, nullptr) != 0 || setresgid(kHostileUid, kHostileUid, kHostileUid) != 0 ||
            setresuid(kHostileUid, kHostileUid, kHostileUid) != 0)
            _exit(120);
        execve(path.c_str(), args.data(), no_env);
        _exit(errno == E2BIG ? 121 : 127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct TempDir {
    fs::path path;
    TempDir()
    {
        char pattern[] = "/tmp/probectl-hostile-XXXXXX";
        REQUIRE(mkdtemp(pattern));
        path = pattern;
        fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    }
    ~TempDir() { fs::remove_all(path); }
};

struct Exec {
    std::string what;
    std::string path;
    std::vector<std::string> argv;
    bool filename_truncated = false;
    bool argv_truncated = false;
};

}  // namespace

TEST_CASE("hostile: names and argv with escapes, bidi, invalid UTF-8 and beyond every limit", "[hostile]")
{
    if (auto reason = expected_unsupported_reason("tracepoint")) {
        std::cout << "SKIPPED: " << *reason << "\n";
        return;
    }
    TempDir dir;
    std::vector<Exec> execs;
    for (const auto &fragment : fragments()) {
        const std::string path = (dir.path / ("x" + fragment.bytes + "x")).string();
        fs::copy_file("/bin/true", path);
        fs::permissions(path, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec |
                                  fs::perms::group_read | fs::perms::others_read);
        execs.push_back({"name: " + fragment.what, path, {path}});
        execs.push_back({"argv: " + fragment.what, "/bin/true", {"true", fragment.bytes, "-" + fragment.bytes}});
    }
    // Beyond every limit: a path longer than the event's 255 bytes, more than 16 arguments, an
    // argument longer than 127 bytes, and one beyond the kernel's own MAX_ARG_STRLEN (the exec fails
    // with E2BIG, but the syscall tracepoint has already seen it).
    fs::path deep = dir.path;
    for (char c : {'a', 'b', 'c'})
        deep /= std::string(100, c);
    fs::create_directories(deep);
    for (fs::path p = deep; p != dir.path; p = p.parent_path())
        fs::permissions(p, fs::perms::owner_all | fs::perms::others_exec | fs::perms::group_exec);
    fs::copy_file("/bin/true", deep / "true");
    fs::permissions(deep / "true", fs::perms::owner_all | fs::perms::others_exec | fs::perms::group_exec);
    execs.push_back({"path of 300+ bytes", (deep / "true").string(), {"true"}, true, false});
    std::vector<std::string> many{"true"};
    for (int i = 0; i < 40; i++)
        many.push_back("arg" + std::to_string(i));
    execs.push_back({"40 arguments", "/bin/true", many, false, true});
    execs.push_back({"an argument of 300 bytes", "/bin/true", {"true", std::string(300, 'L')}, false, true});
    execs.push_back(
        {"an argument of 200 KiB (E2BIG)", "/bin/true", {"true", std::string(200 * 1024, 'H')}, false, true});

    const std::vector<std::string> attach{
        probectl_binary(), "attach", "--type", "tracepoint", "execve", "--uid", std::to_string(kHostileUid)};
    auto with_json = attach;
    with_json.push_back("--json");
    Background table(attach), json(with_json);
    REQUIRE(table.wait_for_stderr("attached tracepoint", 30s));
    REQUIRE(json.wait_for_stderr("attached tracepoint", 30s));
    for (const auto &exec : execs) {
        INFO(exec.what);
        const int status = exec_as_hostile_user(exec.path, exec.argv);
        CHECK(status == (exec.what.ends_with("(E2BIG)") ? 121 : 0));
    }
    std::this_thread::sleep_for(scaled(500ms));
    table.signal(SIGINT);
    json.signal(SIGINT);
    auto table_run = table.wait(30s);
    auto json_run = json.wait(30s);
    REQUIRE(table_run);
    REQUIRE(json_run);
    CHECK(table_run->exit_code == 0);
    CHECK(json_run->exit_code == 0);

    // The terminal: not one hazardous byte, and one row per exec (a newline in a name stays escaped).
    CHECK(terminal_hazard(table_run->out) == "");
    CHECK(terminal_hazard(table_run->err) == "");
    std::vector<std::string> rows;
    std::istringstream table_lines(table_run->out);
    for (std::string line; std::getline(table_lines, line);)
        rows.push_back(line);
    REQUIRE(rows.size() == execs.size() + 1);  // and the header
    for (size_t i = 0; i < execs.size(); i++) {
        INFO(execs[i].what << ": " << rows[i + 1]);
        CHECK((rows[i + 1].find("[truncated]") != std::string::npos) ==
              (execs[i].filename_truncated || execs[i].argv_truncated));
    }

    // JSON: printable ASCII only, strict parse, every name exact (invalid bytes as \xNN), flags set.
    std::vector<nlohmann::json> events;
    std::istringstream json_lines(json_run->out);
    for (std::string line; std::getline(json_lines, line);) {
        for (char c : line)
            REQUIRE((c >= 0x20 && c < 0x7f));
        events.push_back(nlohmann::json::parse(line));
    }
    REQUIRE(events.size() == execs.size());
    for (size_t i = 0; i < execs.size(); i++) {
        const Exec &exec = execs[i];
        const auto &event = events[i];
        INFO(exec.what << ": " << event.dump());
        CHECK(event["filename_truncated"] == exec.filename_truncated);
        CHECK(event["argv_truncated"] == exec.argv_truncated);
        if (!exec.filename_truncated)
            CHECK(event["filename"] == to_valid_utf8(exec.path));
        if (!exec.argv_truncated)
            for (size_t a = 1; a < exec.argv.size(); a++)
                CHECK(event["argv"][a] == to_valid_utf8(exec.argv[a]));
    }
    std::cout << "hostile: " << fragments().size()
              << " hostile fragments, each in a program name and in argv, and "
              << execs.size() - 2 * fragments().size() << " cases beyond the limits: " << execs.size()
              << " execs, each shown once in the table (" << table_run->out.size()
              << " bytes, no raw control byte or bidi code point) and once as strict JSON\n";
    CHECK(programs_left_after(unload_grace()).empty());
}

TEST_CASE("hostile: uprobe targets that are not what they seem get a clear error or say what they do", "[hostile]")
{
    if (auto reason = expected_unsupported_reason("uprobe")) {
        std::cout << "SKIPPED: " << *reason << "\n";
        return;
    }
    TempDir dir;
    const fs::path libc = dir.path / "libc-copy.so";
    fs::copy_file("/lib/x86_64-linux-gnu/libc.so.6", libc);
    fs::create_symlink(libc, dir.path / "link.so");
    fs::create_symlink(dir.path / "nothing", dir.path / "dangling");
    std::ofstream(dir.path / "script.sh") << "#!/bin/sh\necho hi\n";
    REQUIRE(mkfifo((dir.path / "fifo").c_str(), 0600) == 0);
    fs::copy_file("/bin/true", dir.path / "deleted");
    fs::remove(dir.path / "deleted");

    struct Case {
        std::string target;
        int exit_code;
        std::string says;
    };
    const std::string d = dir.path.string();
    const std::vector<Case> cases{
        {d + "/dangling:execve", 6, "is a symbolic link to '" + d + "/nothing', which does not exist"},
        {d + "/script.sh:main", 6, "'" + d + "/script.sh' is not an ELF file"},
        {d + "/fifo:main", 6, "is not a regular file (a device, FIFO or socket), so not a binary"},
        {"/dev/zero:main", 6, "'/dev/zero' is not a regular file"},
        {d + ":main", 6, "'" + d + "' is a directory, not a binary"},
        {d + "/deleted:main", 6, "binary '" + d + "/deleted' does not exist"},
        {libc.string() + ":no_such_function_here", 6,
         "function 'no_such_function_here' not found in " + libc.string()},
        {"/bin/true:malloc", 6, "'malloc' is not defined in /usr/bin/true: the binary imports it"},
        {d + "/link.so:execve", 0, "link.so is a symbolic link: the uprobe goes on " + libc.string()},
    };
    for (const auto &c : cases) {
        auto finished = run({probectl_binary(), "attach", "--type", "uprobe", c.target, "--duration", "0.5"});
        INFO(c.target << "\n" << finished.err);
        CHECK(finished.exit_code == c.exit_code);
        CHECK(finished.err.find(c.says) != std::string::npos);
        CHECK(terminal_hazard(finished.err) == "");
    }

    // Replaced while attached: the probe stays on the old inode, and probectl says so.
    Background attached({probectl_binary(), "attach", "--type", "uprobe", libc.string() + ":execve"});
    REQUIRE(attached.wait_for_stderr("attached uprobe", 30s));
    fs::copy_file(libc, dir.path / "new.so");
    fs::rename(dir.path / "new.so", libc);
    CHECK(attached.wait_for_stderr(libc.string() + " was replaced while attached", 10s));  // scaled inside
    fs::remove(libc);
    attached.signal(SIGINT);
    auto finished = attached.wait(30s);
    REQUIRE(finished);
    CHECK(finished->exit_code == 0);

    // A process still running a deleted binary: reached through /proc/PID/exe. The victim is the small
    // static exec helper (it has a main), held stopped at its exec by PTRACE_TRACEME.
    const fs::path victim = dir.path / "victim";
    fs::copy_file(fs::path(probectl_binary()).parent_path() / "probectl-exec-helper", victim);
    const pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
        execl(victim.c_str(), victim.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);  // stopped by the exec's SIGTRAP
    REQUIRE(WIFSTOPPED(status));
    fs::remove(victim);
    auto through_proc = run({probectl_binary(), "attach", "--type", "uprobe",
                             "/proc/" + std::to_string(pid) + "/exe:main", "--duration", "0.5"});
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    INFO(through_proc.err);
    CHECK(through_proc.exit_code == 0);
    CHECK(through_proc.err.find("leads to a deleted file (" + victim.string() + " (deleted))") !=
          std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}
