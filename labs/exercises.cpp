// The labs' coding exercises: which lab, which starter, what the checker runs and expects. Every
// workload draws anew, for each check, what only the kernel can tell the program: the names it
// execs or opens, a thread's exec, calls that fail, their flags. A program that sends constants,
// or reads the wrong field, cannot pass; one at another hook fails the hook step, which says why.
#include "labs/exec_capture.h"
#include "labs/exercise.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>

namespace probectl::lab {
namespace {

namespace fs = std::filesystem;

std::string describe(const std::vector<ExerciseRecord> &records)
{
    std::string out = fmt::format("{} record(s) from the child", records.size());
    for (const auto &r : records)
        out += fmt::format("; pid {} ppid {} retval {} filename '{}'", r.pid, r.ppid, r.retval, r.filename);
    return out;
}

// What one record must hold, as the workload drew it; a field left empty is not judged.
struct Due {
    std::string filename;
    std::optional<std::uint32_t> ppid;
    std::optional<std::int64_t> retval;
};

std::string describe(const std::vector<Due> &due)
{
    std::string out = fmt::format("; expected {} record(s)", due.size());
    for (const auto &d : due) {
        out += fmt::format("; filename '{}'", d.filename);
        if (d.ppid)
            out += fmt::format(" ppid {}", *d.ppid);
        if (d.retval)
            out += fmt::format(" retval {}", *d.retval);
    }
    return out;
}

// A claim about one field of every record, and what a program that fails it did wrong.
struct FieldClaim {
    std::string claim;
    std::function<bool(const ExerciseRecord &, const Due &)> holds;
    std::string hint;
};

// The count claim, then each field's, judging the records in order against those drawn.
std::vector<Observation> judge_in_order(const std::string &count_claim, const std::string &count_hint,
                                        const std::vector<FieldClaim> &fields,
                                        const std::vector<ExerciseRecord> &records, const std::vector<Due> &due)
{
    const std::string seen = describe(records) + describe(due);
    const bool counted = records.size() == due.size();
    std::vector<Observation> out{observe(count_claim, counted, counted ? seen : count_hint + ": " + seen)};
    for (const auto &field : fields) {
        std::optional<size_t> wrong;
        for (size_t i = 0; counted && !wrong && i < records.size(); i++)
            if (!field.holds(records[i], due[i]))
                wrong = i;
        if (!counted)
            out.push_back(skipped(field.claim, "not judged: the count of records is wrong; " + seen));
        else if (wrong)
            out.push_back(observe(field.claim, false,
                                  fmt::format("record {} is wrong: {}; {}", *wrong + 1, field.hint, seen)));
        else
            out.push_back(observe(field.claim, true, seen));
    }
    return out;
}

std::vector<std::string> claims_of(const std::string &count_claim, const std::vector<FieldClaim> &fields)
{
    std::vector<std::string> claims{count_claim};
    for (const auto &field : fields)
        claims.push_back(field.claim);
    return claims;
}

// Names drawn for one check: symbolic links to /bin/true in a fresh folder (an exec of one is a
// success whose file name only the drawing knows), missing files, and a file that is not
// executable. The folder goes with the object.
class Draw {
public:
    explicit Draw(int lab) : lab_(lab), random_(std::random_device{}())
    {
        std::string folder = (fs::temp_directory_path() / "probectl-lab-XXXXXX").string();
        if (mkdtemp(folder.data()))
            folder_ = folder;
        else
            folder_error_ = errno;
    }
    ~Draw()
    {
        std::error_code ec;
        if (!folder_.empty())
            fs::remove_all(folder_, ec);
    }
    Draw(const Draw &) = delete;
    Draw &operator=(const Draw &) = delete;

    unsigned between(unsigned low, unsigned high)
    {
        return low + static_cast<unsigned>(random_() % (high - low + 1));
    }

    // FOLDER/labN-<drawn>/true: the name only the drawing knows is the folder's; the link's own
    // name stays "true", for a /bin/true that is a multi-call binary choosing by its argv[0].
    Expected<std::string> link_to_true()
    {
        auto folder = make("run", [](const std::string &path) { return mkdir(path.c_str(), 0755) == 0; });
        if (!folder)
            return folder;
        const std::string link = *folder + "/true";
        if (symlink("/bin/true", link.c_str()) != 0)
            return fail(ErrorKind::workload, fmt::format("cannot make {}: {}", link, errno_text(errno)));
        return link;
    }
    std::string missing() { return fmt::format("/nonexistent/probectl-lab{}-{:08x}", lab_, random_()); }
    Expected<std::string> not_executable()
    {
        return make("data", [](const std::string &path) {
            const int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
            return fd >= 0 && close(fd) == 0;
        });
    }

private:
    template <typename Make> Expected<std::string> make(std::string_view what, const Make &made)
    {
        if (folder_.empty())
            return fail(ErrorKind::workload,
                        fmt::format("cannot make a folder in {} for the lab's files: {}",
                                    fs::temp_directory_path().string(), errno_text(folder_error_)));
        const std::string path = fmt::format("{}/lab{}-{}-{:08x}", folder_, lab_, what, random_());
        if (!made(path))
            return fail(ErrorKind::workload, fmt::format("cannot make {}: {}", path, errno_text(errno)));
        return path;
    }

    int lab_;
    std::mt19937 random_;
    std::string folder_;
    int folder_error_ = 0;
};

using Drawn = std::shared_ptr<std::vector<Due>>;

// Lab 5: two or three children, each execs a link of its own; their parent is probectl.
Exercise core()
{
    auto due = std::make_shared<std::vector<Due>>();
    const std::string count = "it sends one record for each child's exec";
    const std::vector<FieldClaim> fields{
        {"ppid, read through p->real_parent, is each child's parent: probectl",
         [](const ExerciseRecord &r, const Due &d) { return r.ppid == d.ppid; },
         "read the parent's tgid through task->real_parent with BPF_CORE_READ (the exec'ing task's own pid is not "
         "its parent's)"},
        {"filename, read through bprm->filename, is the name each child exec'd",
         [](const ExerciseRecord &r, const Due &d) { return r.filename == d.filename; },
         "the names are drawn anew for every check: read the pointer BPF_CORE_READ(bprm, filename), then the "
         "string it points to with bpf_probe_read_kernel_str"}};
    Exercise e{5,
               "05-core",
               "tp_btf",
               {{"tp_btf", "sched_process_exec", "a tp_btf program on sched_process_exec"}},
               "tp_btf's context is the tracepoint's typed arguments (p, old_pid, bprm): the exercise reads them",
               nullptr,
               nullptr,
               claims_of(count, fields)};
    e.workload = [due]() -> Expected<std::vector<pid_t>> {
        Draw draw(5);
        due->clear();
        std::vector<pid_t> children;
        for (unsigned i = 0, n = draw.between(2, 3); i < n; i++) {
            auto link = draw.link_to_true();
            if (!link)
                return std::unexpected(link.error());
            pid_t child = 0;
            if (auto ran = exec_in_child(*link, &child); !ran)
                return std::unexpected(ran.error());
            children.push_back(child);
            due->push_back({*link, static_cast<std::uint32_t>(getpid()), {}});
        }
        return children;
    };
    e.judge = [=](const std::vector<ExerciseRecord> &records) {
        return judge_in_order(count, "one record for each exec, none for anything else", fields, records, *due);
    };
    return e;
}

// Lab 9: a process leader's exec, then a thread's, whose old_pid is the thread's id.
Exercise tracepoint_format()
{
    auto due = std::make_shared<std::vector<Due>>();
    const std::string count = "it sends one record for each exec: a process leader's, then a thread's";
    const std::vector<FieldClaim> fields{
        {"ppid holds each record's old_pid: the leader's pid, then the exec'ing thread's id",
         [](const ExerciseRecord &r, const Due &d) { return r.ppid == d.ppid; },
         "a thread's exec has old_pid = that thread's id, not the pid: copy ctx->old_pid, not the pid"},
        {"filename, found through __data_loc_filename, is the name each exec'd",
         [](const ExerciseRecord &r, const Due &d) { return r.filename == d.filename; },
         "the names are drawn anew for every check: read the string at the offset in __data_loc_filename's low 16 "
         "bits, from the start of the record"}};
    Exercise e{9,
               "09-tracepoint-format",
               "tracepoint",
               {{"tp", "sched/sched_process_exec", "a tracepoint program on sched/sched_process_exec"}},
               "the exercise is about a tracepoint's record, laid out as its format file says",
               nullptr,
               nullptr,
               claims_of(count, fields)};
    e.workload = [due]() -> Expected<std::vector<pid_t>> {
        Draw draw(9);
        due->clear();
        auto leader_link = draw.link_to_true();
        auto thread_link = draw.link_to_true();
        if (!leader_link || !thread_link)
            return std::unexpected(leader_link ? thread_link.error() : leader_link.error());
        pid_t leader = 0, process = 0, thread = 0;
        if (auto ran = exec_in_child(*leader_link, &leader); !ran)
            return std::unexpected(ran.error());
        if (auto ran = exec_from_thread(*thread_link, &process, &thread); !ran)
            return std::unexpected(ran.error());
        due->push_back({*leader_link, static_cast<std::uint32_t>(leader), {}});
        due->push_back({*thread_link, static_cast<std::uint32_t>(thread), {}});
        return std::vector<pid_t>{leader, process};
    };
    e.judge = [=](const std::vector<ExerciseRecord> &records) {
        return judge_in_order(count, "one record for each exec, none for anything else", fields, records, *due);
    };
    return e;
}

// Lab 10 and 11's child: execve calls that fail (one or two, each a missing file or one that is not
// executable), then one that succeeds; all their names drawn.
struct FailingExecs {
    std::vector<std::string> paths;  // the calls, in order: the last succeeds
    std::vector<pid_t> children;
};

Expected<FailingExecs> fail_then_exec(int lab)
{
    Draw draw(lab);
    FailingExecs out;
    for (unsigned i = 0, n = draw.between(1, 2); i < n; i++) {
        if (draw.between(0, 1) == 0) {
            out.paths.push_back(draw.missing());
        } else {
            auto path = draw.not_executable();
            if (!path)
                return std::unexpected(path.error());
            out.paths.push_back(*path);
        }
    }
    auto link = draw.link_to_true();
    if (!link)
        return std::unexpected(link.error());
    out.paths.push_back(*link);
    pid_t child = 0;
    if (auto ran = exec_each_in_child({out.paths.begin(), out.paths.end()}, &child); !ran)
        return std::unexpected(ran.error());
    out.children.push_back(child);
    return out;
}

Exercise user_memory()
{
    auto due = std::make_shared<std::vector<Due>>();
    const std::string count = "it sends one record for each of the child's execve calls, failing or not";
    const std::vector<FieldClaim> fields{
        {"filename, read from the caller's memory, is the name each call was given",
         [](const ExerciseRecord &r, const Due &d) { return r.filename == d.filename; },
         "args[0] points into the caller's memory: read it with bpf_probe_read_user_str (a kernel read of a user "
         "address fails and leaves it empty); the names are drawn anew for every check"}};
    Exercise e{10,
               "10-user-memory",
               "tracepoint",
               {{"tp", "syscalls/sys_enter_execve", "a tracepoint program on syscalls/sys_enter_execve"}},
               "sys_enter_execve sees every call, failing or not, with the caller's own pointer to the name",
               nullptr,
               nullptr,
               claims_of(count, fields)};
    e.workload = [due]() -> Expected<std::vector<pid_t>> {
        auto execs = fail_then_exec(10);
        if (!execs)
            return std::unexpected(execs.error());
        due->clear();
        for (const auto &path : execs->paths)
            due->push_back({path, {}, {}});
        return execs->children;
    };
    e.judge = [=](const std::vector<ExerciseRecord> &records) {
        return judge_in_order(count, "one record for each call, none for anything else", fields, records, *due);
    };
    return e;
}

Exercise uretprobe()
{
    auto due = std::make_shared<std::vector<Due>>();
    const std::string count = "it sends one record for each failing execve, none for the one that succeeds";
    const std::vector<FieldClaim> fields{
        {"filename is the name each failing call was given, saved at its entry",
         [](const ExerciseRecord &r, const Due &d) { return r.filename == d.filename; },
         "the argument registers are not kept for the return: save the name's pointer at the uprobe (in a hash "
         "map, by thread id) and read it at the return; the names are drawn anew for every check"},
        {"retval is -1: libc's failure value",
         [](const ExerciseRecord &r, const Due &d) { return r.retval == d.retval; },
         "send the value execve returned (BPF_KRETPROBE's ret)"}};
    Exercise e{11,
               "11-uretprobe",
               "uretprobe",
               {{"uretprobe", "libc.so.6:execve", "a uretprobe on libc's execve"},
                {"uprobe", "libc.so.6:execve", "a uprobe on libc's execve"}},
               "only a return probe of libc's execve sees what it returned, and it returns only when it fails (a "
               "tracepoint at sched_process_exec sees only the execs that succeed)",
               nullptr,
               nullptr,
               claims_of(count, fields)};
    e.workload = [due]() -> Expected<std::vector<pid_t>> {
        auto execs = fail_then_exec(11);
        if (!execs)
            return std::unexpected(execs.error());
        due->clear();
        for (size_t i = 0; i + 1 < execs->paths.size(); i++)
            due->push_back({execs->paths[i], {}, -1});
        return execs->children;
    };
    e.judge = [=](const std::vector<ExerciseRecord> &records) {
        return judge_in_order(count,
                              "a successful exec never returns to libc, so the uretprobe never fires for it",
                              fields, records, *due);
    };
    return e;
}

// Lab 14's child: openat calls whose names and flags are drawn, each followed by another syscall
// (a program that sends every syscall cannot pass). Made through syscall(2), so the flags are
// exactly those drawn.
Expected<std::vector<pid_t>> open_drawn(std::vector<Due> &due)
{
    Draw draw(14);
    constexpr std::array kFlags{O_RDONLY,
                                O_WRONLY,
                                O_RDWR,
                                O_RDONLY | O_NONBLOCK,
                                O_WRONLY | O_APPEND,
                                O_RDONLY | O_DIRECTORY,
                                O_RDONLY | O_NOFOLLOW};
    due.clear();
    for (unsigned i = 0, n = draw.between(3, 6); i < n; i++)
        due.push_back({draw.missing(),
                       {},
                       kFlags.at(draw.between(0, static_cast<unsigned>(kFlags.size()) - 1)) | O_CLOEXEC});
    pid_t child = 0;
    auto ran = in_child(
        [&due] {
            for (const auto &open : due) {
                syscall(SYS_openat, AT_FDCWD, open.filename.c_str(), static_cast<int>(*open.retval));
                getppid();
            }
            _exit(0);
        },
        &child);
    if (!ran)
        return std::unexpected(ran.error());
    return std::vector<pid_t>{child};
}

Exercise sys_enter()
{
    auto due = std::make_shared<std::vector<Due>>();
    const std::string count =
        "it sends one record for each of the child's openat calls, and none for its other syscalls";
    const std::vector<FieldClaim> fields{
        {"each record's filename is the name that openat was given",
         [](const ExerciseRecord &r, const Due &d) { return r.filename == d.filename; },
         "the name is openat's second argument, a pointer into the caller's memory: "
         "bpf_probe_read_user_str(PT_REGS_PARM2_CORE_SYSCALL(regs)); the names are drawn anew for every check"},
        {"each record's retval holds that openat's flags",
         [](const ExerciseRecord &r, const Due &d) { return r.retval == d.retval; },
         "the flags are openat's third argument: PT_REGS_PARM3_CORE_SYSCALL(regs); they are drawn anew for every "
         "check"}};
    Exercise e{14,
               "14-sys-enter",
               "raw_tp",
               {{"raw_tp", "sys_enter", "a raw_tp program on sys_enter"}},
               "the exercise is about the one raw tracepoint that every syscall passes, told apart by its number",
               nullptr,
               nullptr,
               claims_of(count, fields)};
    e.workload = [due] { return open_drawn(*due); };
    e.judge = [=](const std::vector<ExerciseRecord> &records) {
        return judge_in_order(count, "keep openat's number only (257 on x86-64), and send each call once", fields,
                              records, *due);
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
