// The labs' coding exercises: which lab, which starter, what the checker runs and expects.
#include "labs/exec_capture.h"
#include "labs/exercise.h"

#include <fmt/format.h>
#include <unistd.h>

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

}  // namespace

const std::vector<Exercise> &all_exercises()
{
    static const std::vector<Exercise> exercises{core(), tracepoint_format(), user_memory(), uretprobe()};
    return exercises;
}

}  // namespace probectl::lab
