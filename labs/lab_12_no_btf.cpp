// Lab 12: a kernel without BTF. CO-RE needs the running kernel's types to relocate against; a kernel
// built without CONFIG_DEBUG_INFO_BTF has none, and libbpf refuses to load. `bpftool gen
// min_core_btf` cuts, from a full BTF of that kernel, just the types probectl's objects touch, and
// `probectl --btf FILE` hands that file to libbpf instead.
//
// The lab makes this kernel look BTF-less to probectl and libbpf alone: in a private mount
// namespace, an empty tmpfs covers /sys/kernel/btf and /dev/null covers the vmlinux files libbpf
// would fall back to. Then the tracepoint object fails to load, loads and sees an exec with the
// minimal BTF, and tp_btf still fails, for it attaches by the kernel's own BTF ids.
#include "labs/labs_list.h"

#include "attach/ksyscall_skeleton.h"
#include "attach/registry.h"
#include "attach/support.h"
#include "kprobe.skel.h"
#include "kretprobe.skel.h"
#include "labs/command.h"
#include "labs/exec_capture.h"
#include "loader/core_btf.h"
#include "loader/libbpf_log.h"
#include "loader/text.h"
#include "probectl_build_paths.h"
#include "raw_tp.skel.h"
#include "tracepoint.skel.h"
#include "uprobe.skel.h"
#include "uretprobe.skel.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>

namespace probectl::lab {
namespace {

namespace fs = std::filesystem;

constexpr const char *kTrue = "/bin/true";
constexpr const char *kSysfsBtf = "/sys/kernel/btf/vmlinux";

// While alive, this process runs in a mount namespace of its own in which no kernel BTF can be
// found; the destructor returns it to the namespace it came from (which never changed).
class HiddenKernelBtf {
public:
    static Expected<std::unique_ptr<HiddenKernelBtf>> hide()
    {
        const int original = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
        if (original < 0)
            return fail(ErrorKind::internal, "opening /proc/self/ns/mnt failed: " + errno_text(errno));
        auto hidden = std::unique_ptr<HiddenKernelBtf>(new HiddenKernelBtf(original));
        if (unshare(CLONE_NEWNS) != 0)
            return fail(ErrorKind::internal, "unshare(CLONE_NEWNS) failed: " + errno_text(errno),
                        "lab 12 must run as root, from a process with one thread");
        hidden->entered_ = true;
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            return fail(ErrorKind::internal, "making mounts private failed: " + errno_text(errno));
        if (mount("probectl-lab12", "/sys/kernel/btf", "tmpfs", MS_RDONLY, "size=4k") != 0)
            return fail(ErrorKind::internal, "covering /sys/kernel/btf failed: " + errno_text(errno));
        for (const auto &path : kernel_btf_locations()) {
            std::error_code ec;
            if (path == kSysfsBtf || !fs::exists(path, ec))
                continue;
            if (mount("/dev/null", path.c_str(), nullptr, MS_BIND, nullptr) != 0)
                return fail(ErrorKind::internal, fmt::format("covering {} failed: {}", path, errno_text(errno)));
            hidden->covered_.push_back(path);
        }
        return hidden;
    }
    ~HiddenKernelBtf()
    {
        if (entered_ && setns(original_, CLONE_NEWNS) != 0)
            std::fprintf(stderr, "probectl: lab 12: returning to the original mount namespace failed: %s\n",
                         errno_text(errno).c_str());
        close(original_);
    }
    HiddenKernelBtf(const HiddenKernelBtf &) = delete;
    HiddenKernelBtf &operator=(const HiddenKernelBtf &) = delete;
    // libbpf's fall-back vmlinux files that exist here and were covered too.
    [[nodiscard]] const std::vector<std::string> &covered() const { return covered_; }

private:
    explicit HiddenKernelBtf(int original) : original_(original) {}
    int original_;
    bool entered_ = false;
    std::vector<std::string> covered_;
};

// probectl's hook objects that need no kernel BTF to attach, as embedded in their skeletons.
template <class Skeleton> std::pair<const char *, std::string_view> embedded(const char *name)
{
    size_t size = 0;
    const void *bytes = Skeleton::elf_bytes(&size);
    return {name, std::string_view(static_cast<const char *>(bytes), size)};
}

struct Experiment {
    std::string unsupported;    // the tracepoint hook does not work here at all: nothing ran
    std::string no_kernel_btf;  // this kernel really has no BTF to cut from: nothing ran
    std::vector<std::string> bpftool;
    CommandResult generated;
    std::uintmax_t kernel_btf_bytes = 0;
    std::uintmax_t min_btf_bytes = 0;
    std::vector<std::string> covered;
    // The tracepoint object with the kernel's BTF hidden: without --btf, then with it.
    std::optional<Error> without;
    std::string without_log;
    std::optional<Error> with_error;
    std::vector<ExecEvent> with_events;
    std::string with_log;
    // tp_btf with the kernel's BTF hidden and --btf given; empty reason when tp_btf does not work
    // here even with BTF.
    std::string tp_btf_unsupported;
    std::optional<Error> tp_btf;
};

Expected<ResolvedTarget> resolve(const AttachStrategy &strategy, std::string_view target)
{
    return strategy.resolve(*parse_target(target), ResolveOptions{});
}

Expected<Experiment> experiment()
{
    Experiment out;
    const AttachStrategy &tracepoint = *Registry::instance().find("tracepoint");
    const AttachStrategy &tp_btf = *Registry::instance().find("tp_btf");
    if (const Support &support = hook_support(tracepoint); !support.supported) {
        out.unsupported = "tracepoint does not work on this kernel: " + support.reason;
        return out;
    }
    std::error_code ec;
    if (!fs::exists(kSysfsBtf, ec)) {
        out.no_kernel_btf = "this kernel has no BTF (/sys/kernel/btf/vmlinux is absent) to cut a minimal BTF from";
        return out;
    }
    // Resolve (and so read the kernel's facts) while its BTF is still visible.
    auto tracepoint_target = resolve(tracepoint, "execve");
    if (!tracepoint_target)
        return std::unexpected(tracepoint_target.error());
    const Support &tp_btf_support = hook_support(tp_btf);
    std::optional<ResolvedTarget> tp_btf_target;
    if (tp_btf_support.supported) {
        auto resolved = resolve(tp_btf, "sched_process_exec");
        if (!resolved)
            return std::unexpected(resolved.error());
        tp_btf_target = *resolved;
    } else {
        out.tp_btf_unsupported = tp_btf_support.reason;
    }

    const fs::path dir = fs::temp_directory_path() / fmt::format("probectl-lab12-{}", getpid());
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    // On every way out: the kernel's BTF for CO-RE again, and the objects and the BTF file gone.
    const std::unique_ptr<const fs::path, void (*)(const fs::path *)> cleanup(&dir, [](const fs::path *path) {
        use_kernel_btf();
        std::error_code ignored;
        fs::remove_all(*path, ignored);
    });
    const fs::path min_btf = dir / "probectl.min.btf";
    out.bpftool = {build_tool(PROBECTL_BUILD_BPFTOOL, "bpftool"), "gen", "min_core_btf", kSysfsBtf,
                   min_btf.string()};
    for (const auto &[name, bytes] :
         {embedded<tracepoint_bpf>("tracepoint"), embedded<raw_tp_bpf>("raw_tp"), embedded<kprobe_bpf>("kprobe"),
          embedded<kretprobe_bpf>("kretprobe"), embedded<ksyscall_bpf>("ksyscall"), embedded<uprobe_bpf>("uprobe"),
          embedded<uretprobe_bpf>("uretprobe")}) {
        const fs::path object = dir / fmt::format("{}.bpf.o", name);
        std::ofstream(object, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.bpftool.push_back(object.string());
    }
    auto generated = run_command(out.bpftool);
    if (!generated)
        return std::unexpected(generated.error());
    out.generated = *generated;
    out.kernel_btf_bytes = fs::file_size(kSysfsBtf, ec);
    out.min_btf_bytes = fs::exists(min_btf, ec) ? fs::file_size(min_btf, ec) : 0;
    if (out.generated.exit_code != 0 || out.min_btf_bytes == 0)
        return out;

    {
        auto hidden = HiddenKernelBtf::hide();
        if (!hidden)
            return std::unexpected(hidden.error());
        out.covered = (*hidden)->covered();
        ProbeFilter nobody;
        nobody.tgid = ProbeFilter::kNoProcess;
        {
            const LibbpfLogCapture log;
            auto probe = tracepoint.attach(*tracepoint_target, nobody);
            out.without_log = log.text();
            if (!probe)
                out.without = probe.error();
        }
        if (auto used = use_core_btf(min_btf.string()); !used)
            return std::unexpected(used.error());
        {
            const LibbpfLogCapture log;
            auto seen = capture({"tracepoint"}, "execve", [] { return exec_in_child(kTrue); });
            out.with_log = log.text();
            if (seen)
                out.with_events = seen->events["tracepoint"];
            else
                out.with_error = seen.error();
        }
        if (tp_btf_target) {
            auto probe = tp_btf.attach(*tp_btf_target, nobody);
            if (!probe)
                out.tp_btf = probe.error();
        }
    }
    return out;
}

// The lines of libbpf's log that mention kernel BTF.
std::string btf_lines(const std::string &log)
{
    std::string out;
    for (const auto &line : split(log, '\n'))
        if (line.find("kernel BTF") != std::string::npos || line.find("vmlinux BTF") != std::string::npos)
            out += "    " + trim(line) + "\n";
    return out.empty() ? "    (libbpf said nothing about kernel BTF)\n" : out;
}

// How libbpf relocated task_struct.tgid: its member index in the object's BTF (the build's
// vmlinux.h) and in the BTF it relocated against, where a minimal BTF keeps only what is used.
struct TgidRelocation {
    int object_member = -1;
    int target_member = -1;
    long target_offset = -1;
    std::string lines;
};

TgidRelocation tgid_relocation(const std::string &log)
{
    TgidRelocation r;
    std::smatch m;
    const std::regex spec(R"(relo #(\d+): <byte_off> \[\d+\] struct task_struct\.tgid \(0:(\d+) @ offset \d+\))");
    if (!std::regex_search(log, m, spec))
        return r;
    const std::string number = m[1];
    r.object_member = std::stoi(m[2]);
    const std::regex candidate(
        "relo #" + number +
        R"(: matching candidate #\d+ <byte_off> \[\d+\] struct task_struct\.tgid \(0:(\d+) @ offset (\d+)\))");
    if (std::regex_search(log, m, candidate)) {
        r.target_member = std::stoi(m[1]);
        r.target_offset = std::stol(m[2]);
    }
    for (const auto &line : split(log, '\n'))
        if (line.find("prog '") != std::string::npos && line.find("relo #" + number + ":") != std::string::npos)
            r.lines += "    " + trim(line) + "\n";
    return r;
}

std::string one_line(const std::string &lines)
{
    std::string out;
    for (const auto &line : split(trim(lines), '\n'))
        out += (out.empty() ? "" : "; ") + trim(line);
    return out;
}

std::string error_text(const std::optional<Error> &error)
{
    return error ? error->message : std::string("no error");
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty())
        return seen->unsupported + "\n";
    if (!seen->no_kernel_btf.empty())
        return fmt::format("Lab 12 cuts a minimal BTF from this kernel's own, but {}.\nGive probectl a BTF of "
                           "this kernel made elsewhere: probectl --btf FILE attach --type tracepoint execve\n",
                           seen->no_kernel_btf);
    std::string out = fmt::format("1. A minimal BTF for probectl's objects that need no kernel BTF to attach:\n  "
                                  "{}\n{}  exit {}: {} bytes, against {} bytes of the kernel's whole BTF\n\n",
                                  command_line(seen->bpftool), indent(seen->generated.output, "  "),
                                  seen->generated.exit_code, seen->min_btf_bytes, seen->kernel_btf_bytes);
    if (seen->min_btf_bytes == 0)
        return out + "bpftool made no file: see its output above.\n";
    out += fmt::format(
        "2. In a mount namespace of its own, /sys/kernel/btf is an empty tmpfs{}. The "
        "tracepoint object, loaded as usual:\n  {}\n{}\n",
        seen->covered.empty() ? "" : ", and /dev/null covers " + fmt::format("{}", fmt::join(seen->covered, ", ")),
        error_text(seen->without), btf_lines(seen->without_log));
    const TgidRelocation tgid = tgid_relocation(seen->with_log);
    out +=
        fmt::format("3. The same, with --btf and the minimal BTF: {}\n  libbpf relocating task_struct.tgid "
                    "(object member #{}, minimal BTF member #{}):\n{}",
                    error_text(seen->with_error), tgid.object_member, tgid.target_member,
                    tgid.lines.empty() ? "    (no relocation of task_struct.tgid in libbpf's log)\n" : tgid.lines);
    for (const auto &event : seen->with_events)
        out += "  tracepoint saw " + describe(event) + fmt::format(", ppid {}\n", event.ppid);
    if (seen->tp_btf_unsupported.empty())
        out += fmt::format("\n4. tp_btf with --btf and no kernel BTF: {}\n", error_text(seen->tp_btf));
    out += "\nLook at: step 3's candidate task_struct, from the minimal BTF, where tgid is one of a handful of\n"
           "members; and the ppid: the child's parent is this probectl, read through task_struct.real_parent\n"
           "at the offset the minimal BTF gave.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims{
        "bpftool gen min_core_btf makes a BTF of a few kilobytes for probectl's objects",
        "without kernel BTF, libbpf finds none and the tracepoint object does not load (ESRCH)",
        "with --btf and the minimal BTF, the tracepoint object loads and sees the exec, fields intact",
        "libbpf relocated against the minimal BTF: its task_struct keeps only the members probectl reads",
        "tp_btf still does not load: it attaches by the kernel's own BTF ids, which --btf does not supply"};
    if (!seen->unsupported.empty())
        return none_checkable(claims, seen->unsupported);
    if (!seen->no_kernel_btf.empty())
        return none_checkable(claims, seen->no_kernel_btf);
    std::vector<Observation> out;
    const bool small = seen->min_btf_bytes > 0 && seen->min_btf_bytes < 64 * 1024 &&
                       seen->min_btf_bytes * 100 < seen->kernel_btf_bytes;
    out.push_back(observe(claims[0], seen->generated.exit_code == 0 && small,
                          fmt::format("bpftool exit {}: {} bytes, against {} bytes of kernel BTF{}",
                                      seen->generated.exit_code, seen->min_btf_bytes, seen->kernel_btf_bytes,
                                      seen->generated.exit_code ? ": " + trim(seen->generated.output) : "")));
    if (seen->min_btf_bytes == 0) {
        for (size_t i = 1; i < claims.size(); i++)
            out.push_back(observe(claims[i], false, "not tried: bpftool made no minimal BTF"));
        return out;
    }
    const bool refused = seen->without && seen->without->err == ESRCH &&
                         seen->without_log.find("failed to find valid kernel BTF") != std::string::npos;
    out.push_back(
        observe(claims[1], refused, error_text(seen->without) + "; " + one_line(btf_lines(seen->without_log))));
    const auto &events = seen->with_events;
    const bool intact = events.size() == 1 && events.front().filename == kTrue &&
                        events.front().ppid == static_cast<std::uint32_t>(getpid());
    out.push_back(observe(claims[2], !seen->with_error && intact,
                          fmt::format("{}; {} event(s){}", error_text(seen->with_error), events.size(),
                                      events.empty()
                                          ? std::string()
                                          : fmt::format(": {}, ppid {} (probectl is {})", describe(events.front()),
                                                        events.front().ppid, getpid()))));
    const TgidRelocation tgid = tgid_relocation(seen->with_log);
    out.push_back(
        observe(claims[3], tgid.target_member >= 0 && tgid.target_member < 10 && tgid.object_member > 10,
                fmt::format("task_struct.tgid is member #{} in the object's BTF and #{} (offset {}) in the "
                            "BTF libbpf relocated against",
                            tgid.object_member, tgid.target_member, tgid.target_offset)));
    if (!seen->tp_btf_unsupported.empty())
        out.push_back(cannot_check(claims[4], "tp_btf does not work on this kernel even with its BTF: " +
                                                  seen->tp_btf_unsupported));
    else
        out.push_back(observe(claims[4], seen->tp_btf.has_value(), error_text(seen->tp_btf)));
    return out;
}

}  // namespace

Lab lab_12_no_btf()
{
    return {12,  "no-btf", "A kernel without BTF: a minimal BTF from bpftool, given with --btf",
            run, check,    {"tracepoint", "raw_tp", "kprobe", "kretprobe", "ksyscall", "uprobe", "uretprobe"}};
}

}  // namespace probectl::lab
