// The labs' coding exercises: which lab, which starter, what the checker runs and expects.
#include "labs/exec_capture.h"
#include "labs/exercise.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <memory>
#include <random>

namespace probectl::lab {
namespace {

constexpr const char *kTrue = "/bin/true";
constexpr const char *kMissing = "/nonexistent/probectl-exercise";

std::string describe(const std::vector<ExerciseRecord> &records)
{
    std::string out = fmt::format("{} record(s) from the child", records.size());
    for (const auto &r : records)
        out += fmt::format("; pid {} ppid {} retval {} filename '{}'", r.pid, r.ppid, r.retval, r.filename);
    return out;
}

Expected<void> exec_true(pid_t *child)
{
    return exec_in_child(kTrue, child);
}

// Exactly one record, and the claims about it; the count claim first.
std::vector<Observation> judge_one(const std::vector<std::string> &claims,
                                   const std::vector<ExerciseRecord> &records,
                                   const std::function<std::vector<bool>(const ExerciseRecord &)> &fields)
{
    std::vector<Observation> out;
    const std::string seen = describe(records);
    out.push_back(observe(claims[0], records.size() == 1, seen));
    const std::vector<bool> held = records.size() == 1 ? fields(records.front()) : std::vector<bool>{};
    for (size_t i = 1; i < claims.size(); i++)
        out.push_back(observe(claims[i], i - 1 < held.size() && held[i - 1], seen));
    return out;
}

Exercise core()
{
    Exercise e{5,
               "05-core",
               "tp_btf",
               exec_true,
               nullptr,
               {"it sends one record for the child's exec of /bin/true",
                "ppid, read through p->real_parent, is the child's parent: probectl",
                "filename, read through bprm->filename, is /bin/true"}};
    e.judge = [claims = e.claims](const std::vector<ExerciseRecord> &records, pid_t) {
        return judge_one(claims, records, [](const ExerciseRecord &r) {
            return std::vector<bool>{r.ppid == static_cast<std::uint32_t>(getpid()), r.filename == kTrue};
        });
    };
    return e;
}

Exercise tracepoint_format()
{
    Exercise e{9,
               "09-tracepoint-format",
               "tracepoint",
               exec_true,
               nullptr,
               {"it sends one record for the child's exec of /bin/true",
                "ppid holds the record's old_pid: the child's pid, as a process leader exec'd",
                "filename, found through __data_loc_filename, is /bin/true"}};
    e.judge = [claims = e.claims](const std::vector<ExerciseRecord> &records, pid_t child) {
        return judge_one(claims, records, [child](const ExerciseRecord &r) {
            return std::vector<bool>{r.ppid == static_cast<std::uint32_t>(child), r.filename == kTrue};
        });
    };
    return e;
}

Exercise user_memory()
{
    Exercise e{
        10,
        "10-user-memory",
        "tracepoint",
        exec_true,
        nullptr,
        {"it sends one record for the child's execve", "filename, read from the caller's memory, is /bin/true"}};
    e.judge = [claims = e.claims](const std::vector<ExerciseRecord> &records, pid_t) {
        return judge_one(claims, records,
                         [](const ExerciseRecord &r) { return std::vector<bool>{r.filename == kTrue}; });
    };
    return e;
}

Exercise uretprobe()
{
    Exercise e{11,
               "11-uretprobe",
               "uretprobe",
               [](pid_t *child) {
                   return exec_each_in_child({kMissing, kTrue}, child);
               },
               nullptr,
               {"it sees one of the child's two execve calls: the failing one, for a successful one never returns",
                "retval is -1: libc's failure value (errno holds ENOENT)"}};
    e.judge = [claims = e.claims](const std::vector<ExerciseRecord> &records, pid_t) {
        return judge_one(claims, records,
                         [](const ExerciseRecord &r) { return std::vector<bool>{r.retval == -1}; });
    };
    return e;
}

// Lab 14's child: openat calls whose names and flags are drawn at random for each check (a program
// that sends constants cannot pass), each followed by another syscall (one that sends every syscall
// cannot either). Made through syscall(2), so the flags are exactly those drawn.
struct DrawnOpen {
    std::string path;
    int flags;
};

Expected<void> open_drawn(std::vector<DrawnOpen> &drawn, pid_t *child)
{
    std::mt19937 random(std::random_device{}());
    constexpr std::array kFlags{O_RDONLY,
                                O_WRONLY,
                                O_RDWR,
                                O_RDONLY | O_NONBLOCK,
                                O_WRONLY | O_APPEND,
                                O_RDONLY | O_DIRECTORY,
                                O_RDONLY | O_NOFOLLOW};
    drawn.clear();
    const auto count = 3 + random() % 4;
    for (unsigned i = 0; i < count; i++)
        drawn.push_back({fmt::format("/nonexistent/probectl-lab14-{:08x}", random()),
                         kFlags.at(random() % kFlags.size()) | O_CLOEXEC});
    return in_child(
        [&drawn] {
            for (const auto &open : drawn) {
                syscall(SYS_openat, AT_FDCWD, open.path.c_str(), open.flags);
                getppid();
            }
            _exit(0);
        },
        child);
}

Exercise sys_enter()
{
    auto drawn = std::make_shared<std::vector<DrawnOpen>>();
    Exercise e{14,
               "14-sys-enter",
               "raw_tp",
               [drawn](pid_t *child) { return open_drawn(*drawn, child); },
               nullptr,
               {"it sends one record for each of the child's openat calls, and none for its other syscalls",
                "each record's filename is the name that openat was given",
                "each record's retval holds that openat's flags"}};
    e.judge = [claims = e.claims, drawn](const std::vector<ExerciseRecord> &records, pid_t) {
        std::string seen = describe(records);
        for (const auto &open : *drawn)
            seen += fmt::format("; drawn: '{}' flags {}", open.path, open.flags);
        const bool counted = records.size() == drawn->size();
        bool names = counted, flags = counted;
        for (size_t i = 0; counted && i < records.size(); i++) {
            names = names && records[i].filename == (*drawn)[i].path;
            flags = flags && records[i].retval == (*drawn)[i].flags;
        }
        return std::vector<Observation>{observe(claims[0], counted, seen), observe(claims[1], names, seen),
                                        observe(claims[2], flags, seen)};
    };
    return e;
}

}  // namespace

const std::vector<Exercise> &all_exercises()
{
    static const std::vector<Exercise> exercises{core(), tracepoint_format(), user_memory(), uretprobe(),
                                                 sys_enter()};
    return exercises;
}

}  // namespace probectl::lab
