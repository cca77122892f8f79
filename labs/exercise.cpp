#include "labs/exercise.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "labs/command.h"
#include "labs/exec_capture.h"
#include "labs/exercises/exercise.h"
#include "loader/core_btf.h"
#include "loader/libbpf_log.h"
#include "loader/own_files.h"
#include "loader/text.h"
#include "probectl_build_paths.h"

#include <bpf/libbpf.h>
#include <elf.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace probectl::lab {
namespace {

namespace fs = std::filesystem;

// The last `count` non-empty lines: where clang's first error and the verifier's verdict are.
std::string last_lines(const std::string &text, size_t count)
{
    std::vector<std::string> lines;
    for (auto &line : split(text, '\n'))
        if (!trim(line).empty())
            lines.push_back(trim(line));
    const size_t from = lines.size() > count ? lines.size() - count : 0;
    std::string out;
    for (size_t i = from; i < lines.size(); i++)
        out += (out.empty() ? "" : " | ") + lines[i];
    return out;
}

std::string first_error(const std::string &clang_output)
{
    for (const auto &line : split(clang_output, '\n'))
        if (line.find("error:") != std::string::npos)
            return trim(line);
    return last_lines(clang_output, 3);
}

// The verifier's reason: its last line before "processed N insns", or libbpf's last lines.
std::string verifier_verdict(const std::string &log)
{
    const auto lines = split(log, '\n');
    for (size_t i = 1; i < lines.size(); i++)
        if (lines[i].starts_with("processed ") && lines[i].find(" insns") != std::string::npos)
            for (size_t j = i; j-- > 0;)
                if (!trim(lines[j]).empty())
                    return trim(lines[j]);
    return last_lines(log, 3);
}

// The claims every check makes before the exercise's own.
const std::vector<std::string> kSteps{"it compiles with clang (-target bpf, CO-RE, this build's vmlinux.h)",
                                      "its programs are at the hook the exercise asks for (SEC() names)",
                                      "the verifier accepts it",
                                      "libbpf attaches every program by its SEC() name"};

struct Object {
    std::unique_ptr<bpf_object, void (*)(bpf_object *)> object{nullptr, bpf_object__close};
    std::vector<std::unique_ptr<bpf_link, int (*)(bpf_link *)>> links;
    std::unique_ptr<ring_buffer, void (*)(ring_buffer *)> ring{nullptr, ring_buffer__free};
};

int on_record(void *context, void *data, size_t size)
{
    auto *records = static_cast<std::vector<ExerciseRecord> *>(context);
    if (size < sizeof(exercise_event))
        return 0;
    exercise_event e{};
    std::memcpy(&e, data, sizeof(e));
    records->push_back(
        {e.pid, e.ppid, e.retval, std::string(e.filename, strnlen(e.filename, sizeof(e.filename)))});
    return 0;
}

// The rest of the claims, skipped because an earlier step failed.
void not_tried(std::vector<Observation> &out, const Exercise &exercise, size_t from_step, const std::string &why)
{
    for (size_t i = from_step; i < kSteps.size(); i++)
        out.push_back(skipped(kSteps[i], "not tried: " + why));
    for (const auto &claim : exercise.claims)
        out.push_back(skipped(claim, "not tried: " + why));
}

// SEC("kind/target") of a program, with libbpf's other spellings of a kind made one ("tracepoint"
// is "tp", "raw_tracepoint" is "raw_tp"; a sleepable ".s" dropped) and a binary given by its path
// ("/usr/lib/x86_64-linux-gnu/libc.so.6:execve") taken for its name.
bool at_section(std::string_view section, const ExerciseSection &wanted)
{
    const size_t slash = section.find('/');
    if (slash == std::string_view::npos)
        return false;
    std::string_view kind = section.substr(0, slash);
    const std::string_view target = section.substr(slash + 1);
    if (kind.ends_with(".s"))
        kind.remove_suffix(2);
    if (kind == "tracepoint")
        kind = "tp";
    else if (kind == "raw_tracepoint")
        kind = "raw_tp";
    return kind == wanted.kind && (target == wanted.target || target.ends_with(fmt::format("/{}", wanted.target)));
}

// Every program at one of the exercise's sections, and one at each: what the hook step observes,
// before the object is loaded. Its words name the hook, not the SEC() string the exercise asks for.
Observation judge_sections(const Exercise &exercise, bpf_object *object)
{
    std::vector<std::string> wrong, all;
    std::vector<bool> present(exercise.sections.size(), false);
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, object)
    {
        const std::string_view section = bpf_program__section_name(program);
        all.push_back(fmt::format("SEC(\"{}\")", section));
        bool known = false;
        for (size_t i = 0; i < exercise.sections.size(); i++)
            if (at_section(section, exercise.sections[i]))
                present[i] = known = true;
        if (!known)
            wrong.push_back(all.back());
    }
    std::vector<std::string_view> asked, absent;
    for (size_t i = 0; i < exercise.sections.size(); i++) {
        asked.push_back(exercise.sections[i].what);
        if (!present[i])
            absent.push_back(exercise.sections[i].what);
    }
    if (wrong.empty() && absent.empty())
        return observe(kSteps[1], true, fmt::format("{}", fmt::join(all, ", ")));
    const std::string what = !wrong.empty()
                                 ? fmt::format("{} is not at the exercise's hook", fmt::join(wrong, ", "))
                                 : fmt::format("{} is missing", fmt::join(absent, " and "));
    return observe(kSteps[1], false,
                   fmt::format("{}: it asks for {}; {}", what, fmt::join(asked, " and "), exercise.why_hook));
}

// What --solution was given: C, or an ELF object for the BPF machine or another.
enum class SolutionKind { source, bpf_object, other_object };

SolutionKind solution_kind(const std::string &path)
{
    unsigned char header[20] = {};
    std::ifstream file(path, std::ios::binary);
    if (!file.read(reinterpret_cast<char *>(header), sizeof header) || std::memcmp(header, ELFMAG, SELFMAG) != 0)
        return SolutionKind::source;
    const unsigned machine =
        header[5] == ELFDATA2MSB ? (header[18] << 8 | header[19]) : (header[19] << 8 | header[18]);
    return machine == EM_BPF ? SolutionKind::bpf_object : SolutionKind::other_object;
}

}  // namespace

std::string exercise_file(const Exercise &exercise, bool solution)
{
    return fmt::format("{}/{}.{}.bpf.c", exercises_dir().string(), exercise.stem, solution ? "solution" : "start");
}

const Exercise *find_exercise(int lab)
{
    for (const auto &exercise : all_exercises())
        if (exercise.lab == lab)
            return &exercise;
    return nullptr;
}

Expected<std::vector<Observation>> check_solution(const Exercise &exercise, const std::string &path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return fail(ErrorKind::bad_file, fmt::format("--solution {}: no such file", path),
                    fmt::format("start from the starter: probectl lab starter {} > my.bpf.c", exercise.lab));
    const std::string vmlinux_dir = vmlinux_header_dir().string();
    const std::string exercise_dir = exercises_dir().string();
    for (const auto &needed : {vmlinux_dir + "/vmlinux.h", exercise_dir + "/exercise.bpf.h"})
        if (!fs::exists(needed, ec))
            return fail(ErrorKind::bad_file, fmt::format("the exercises' headers are missing: {}", needed),
                        "reinstall probectl (it puts them in PREFIX/share/probectl), or run a build tree's "
                        "probectl, whose source and build folders are still in place");

    std::vector<std::string> claims = kSteps;
    claims.insert(claims.end(), exercise.claims.begin(), exercise.claims.end());
    if (const std::string problem = hook_problem(exercise.hook); !problem.empty())
        return none_checkable(claims, problem);

    std::vector<Observation> out;
    // A solution compiled already (a BPF ELF object, e.g. by the learner's own Makefile) is loaded
    // as it is; C is compiled here, with the flags the step names.
    const SolutionKind kind = solution_kind(path);
    if (kind == SolutionKind::other_object) {
        out.push_back(observe(kSteps[0], false,
                              fmt::format("{} is an object for another machine, not BPF: compile it with "
                                          "clang -target bpf, or give the .bpf.c",
                                          path)));
        not_tried(out, exercise, 1, "it is not a BPF object");
        return out;
    }
    const bool precompiled = kind == SolutionKind::bpf_object;
    const std::string object_path =
        precompiled ? path
                    : (fs::temp_directory_path() / fmt::format("probectl-exercise-{}.o", getpid())).string();
    if (precompiled) {
        out.push_back(observe("it is compiled already (a BPF object: not compiled here)", true,
                              fmt::format("given compiled: {} is a BPF object", path)));
    } else {
        const std::vector<std::string> compile{
            build_tool(PROBECTL_BUILD_CLANG, "clang"),  "-g", "-O2",       "-Wall", "-target",    "bpf",
            "-D__TARGET_ARCH_" PROBECTL_BUILD_BPF_ARCH, "-I", vmlinux_dir, "-I",    exercise_dir, "-I",
            PROBECTL_BUILD_LIBBPF_INCLUDEDIR,           "-c", path,        "-o",    object_path};
        auto compiled = run_command(compile);
        if (!compiled)
            return std::unexpected(compiled.error());
        if (compiled->exit_code != 0) {
            out.push_back(observe(kSteps[0], false, first_error(compiled->output)));
            not_tried(out, exercise, 1, "it did not compile");
            return out;
        }
        out.push_back(observe(kSteps[0], true, command_line(compile)));
    }

    Object o;
    const LibbpfLogCapture log;
    o.object.reset(bpf_object__open_file(object_path.c_str(), object_open_options()));
    if (!precompiled)
        fs::remove(object_path, ec);
    if (!o.object) {
        out.push_back(skipped(kSteps[1], "not tried: libbpf could not open the object"));
        out.push_back(observe(kSteps[2], false, "libbpf could not open the object: " + last_lines(log.text(), 3)));
        not_tried(out, exercise, 3, "it did not open");
        return out;
    }
    // Room for every record the program sends while the workload runs, however busy the machine:
    // the ring is read once, after it.
    if (bpf_map *events = bpf_object__find_map_by_name(o.object.get(), "events");
        events && bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF)
        bpf_map__set_max_entries(events, 16u << 20);
    out.push_back(judge_sections(exercise, o.object.get()));
    if (out.back().outcome != Outcome::held) {
        not_tried(out, exercise, 2, "its programs are at another hook");
        return out;
    }
    if (int err = bpf_object__load(o.object.get()); err != 0) {
        // -v: the verifier's whole log; the step's detail has its verdict.
        spdlog::debug("libbpf's and the verifier's log of {}:\n{}", path, log.text());
        out.push_back(
            observe(kSteps[2], false,
                    fmt::format("{}: the verifier says: {}{}", errno_text(-err), verifier_verdict(log.text()),
                                spdlog::should_log(spdlog::level::debug)
                                    ? " (its whole log: above)"
                                    : " (probectl -v lab check ... shows its whole log)")));
        not_tried(out, exercise, 3, "it did not load");
        return out;
    }
    spdlog::trace("libbpf's log of {} (its relocations among it):\n{}", path, log.text());
    std::string programs;
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, o.object.get())
    {
        programs += fmt::format("{}{} ({})", programs.empty() ? "" : ", ", bpf_program__name(program),
                                bpf_program__section_name(program));
    }
    out.push_back(observe(kSteps[2], true, "loaded: " + programs));

    bpf_object__for_each_program(program, o.object.get())
    {
        bpf_link *link = bpf_program__attach(program);
        if (!link) {
            const int err = errno;
            out.push_back(observe(kSteps[3], false,
                                  fmt::format("SEC(\"{}\"): {}; {}", bpf_program__section_name(program),
                                              errno_text(err), last_lines(log.text(), 1))));
            not_tried(out, exercise, 4, "it did not attach");
            return out;
        }
        o.links.emplace_back(link, bpf_link__destroy);
    }
    bpf_map *events = bpf_object__find_map_by_name(o.object.get(), "events");
    if (!events || bpf_map__type(events) != BPF_MAP_TYPE_RINGBUF) {
        out.push_back(observe(kSteps[3], false, "no ring buffer named 'events': include \"exercise.bpf.h\""));
        not_tried(out, exercise, 4, "nothing to read");
        return out;
    }
    std::vector<ExerciseRecord> records;
    o.ring.reset(ring_buffer__new(bpf_map__fd(events), on_record, &records, nullptr));
    if (!o.ring)
        return fail(ErrorKind::kernel, "reading the 'events' ring buffer failed: " + errno_text(errno));
    out.push_back(observe(kSteps[3], true, fmt::format("{} link(s)", o.links.size())));

    auto children = exercise.workload();
    if (!children)
        return std::unexpected(children.error());
    if (const int consumed = ring_buffer__consume(o.ring.get()); consumed < 0)
        return fail(ErrorKind::kernel, "reading the 'events' ring buffer failed: " + errno_text(-consumed));
    std::vector<ExerciseRecord> mine;
    for (const auto &record : records)
        if (std::ranges::find(*children, static_cast<pid_t>(record.pid)) != children->end())
            mine.push_back(record);
    for (auto &judged : exercise.judge(mine))
        out.push_back(std::move(judged));
    return out;
}

}  // namespace probectl::lab
