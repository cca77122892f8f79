// Lab 6: a skeleton's life. bpftool's generated skeleton wraps one object: open (parse the ELF, no
// kernel work), set read-only data, load (maps created, programs verified: now in the kernel),
// attach (a link from the program to its hook), destroy (link and program gone). The lab takes
// probectl's tracepoint skeleton through each step and asks the kernel what it holds after each.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "loader/bpf_inventory.h"
#include "loader/core_btf.h"
#include "tracepoint.skel.h"

#include <bpf/bpf.h>
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <unistd.h>

namespace probectl::lab {
namespace {

std::uint32_t program_id(int fd)
{
    bpf_prog_info info{};
    std::uint32_t length = sizeof(info);
    return bpf_obj_get_info_by_fd(fd, &info, &length) == 0 ? info.id : 0;
}

// Links in the kernel whose program is prog_id.
int links_to(std::uint32_t prog_id)
{
    int count = 0;
    std::uint32_t id = 0;
    while (prog_id && bpf_link_get_next_id(id, &id) == 0) {
        const int fd = bpf_link_get_fd_by_id(id);
        if (fd < 0)
            continue;
        bpf_link_info info{};
        std::uint32_t length = sizeof(info);
        if (bpf_obj_get_info_by_fd(fd, &info, &length) == 0 && info.prog_id == prog_id)
            count++;
        close(fd);
    }
    return count;
}

struct Step {
    std::string after;
    size_t programs = 0;  // loaded programs named pctl_tracepoint
    int links = 0;        // BPF links to this skeleton's program
};

// Before 5.15 a tracepoint attach is no BPF link but a perf event holding the program: what that
// event's fd says is attached to it (empty when the fd is a BPF link, or holds another program).
std::string attached_through(int fd, std::uint32_t prog_id)
{
    char name[128] = {};
    __u32 length = sizeof(name), queried = 0, type = 0;
    __u64 offset = 0, address = 0;
    if (bpf_task_fd_query(getpid(), fd, 0, name, &length, &queried, &type, &offset, &address) != 0)
        return "";
    return queried == prog_id ? fmt::format("{} (fd type {})", name, type) : "";
}

struct Seen {
    std::vector<Step> steps;
    int rodata_write_errno = 0;  // a write to .rodata after load
    std::string attached;        // the hook its attach handle holds the program at; empty: none
    std::string unsupported;
};

size_t tracepoint_programs()
{
    return loaded_programs_named("pctl_tracepoint").size();
}

Expected<Seen> experiment()
{
    Seen seen;
    if (const Support &s = hook_support(*Registry::instance().find("tracepoint")); !s.supported) {
        seen.unsupported = "tracepoint does not work on this kernel: " + s.reason;
        return seen;
    }
    const size_t before = tracepoint_programs();
    seen.steps.push_back({"nothing yet", 0, 0});
    tracepoint_bpf *skel = tracepoint_bpf::open(object_open_options());
    if (!skel)
        return fail(ErrorKind::kernel, "opening the tracepoint skeleton failed: " + errno_text(errno));
    seen.steps.push_back({"open", tracepoint_programs() - before, 0});
    skel->rodata->targ_tgid = ProbeFilter::kNoProcess;  // plain memory until load: report nothing
    if (int err = tracepoint_bpf::load(skel); err != 0) {
        tracepoint_bpf::destroy(skel);
        return fail(ErrorKind::kernel, "loading the tracepoint skeleton failed: " + errno_text(-err));
    }
    const std::uint32_t id = program_id(bpf_program__fd(skel->progs.pctl_tracepoint));
    seen.steps.push_back({"load", tracepoint_programs() - before, links_to(id)});
    const std::uint32_t key = 0;
    std::vector<char> value(bpf_map__value_size(skel->maps.rodata), 0);
    seen.rodata_write_errno =
        bpf_map_update_elem(bpf_map__fd(skel->maps.rodata), &key, value.data(), BPF_ANY) == 0 ? 0 : errno;
    skel->links.pctl_tracepoint =
        bpf_program__attach_tracepoint(skel->progs.pctl_tracepoint, "syscalls", "sys_enter_execve");
    if (!skel->links.pctl_tracepoint) {
        const int err = errno;
        tracepoint_bpf::destroy(skel);
        return fail(ErrorKind::kernel, "attaching the tracepoint skeleton failed: " + errno_text(err));
    }
    seen.steps.push_back({"attach", tracepoint_programs() - before, links_to(id)});
    seen.attached = attached_through(bpf_link__fd(skel->links.pctl_tracepoint), id);
    tracepoint_bpf::destroy(skel);
    const size_t left = programs_left_after(std::chrono::milliseconds(2000), "pctl_tracepoint").size();
    seen.steps.push_back({"destroy", left > before ? left - before : 0, links_to(id)});
    return seen;
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty())
        return "This lab uses the tracepoint skeleton: " + seen->unsupported + "\n";
    std::string out = "probectl's tracepoint skeleton, step by step; what the kernel holds after each:\n\n";
    out += fmt::format("  {:<12} {:>22} {:>16}\n", "after", "programs it loaded", "links to it");
    for (const auto &step : seen->steps)
        out += fmt::format("  {:<12} {:>22} {:>16}\n", step.after, step.programs, step.links);
    if (!seen->attached.empty())
        out +=
            fmt::format("\nNo BPF link on this kernel: the perf event holds the program at {}\n", seen->attached);
    out += fmt::format("A write to its read-only data after load: {}\n",
                       seen->rodata_write_errno ? errno_text(seen->rodata_write_errno) : "accepted");
    out += "\nLook at: open does no kernel work; load puts the program in the kernel (bpftool prog show) but\n"
           "nothing runs it until attach creates a link (bpftool link show); destroy takes both away.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims{
        "open parses the object but puts nothing in the kernel",
        "load puts the program in the kernel, with no link: nothing runs it yet",
        "after load the read-only data is frozen: the kernel refuses a write to it",
        "attach connects the program to its hook: one BPF link (for a tracepoint since 5.15: before, a perf event "
        "holds the program)",
        "destroy removes the link and the program"};
    if (!seen->unsupported.empty())
        return none_checkable(claims, seen->unsupported);
    std::vector<Observation> out;
    const auto step = [&](size_t i) {
        const Step &s = seen->steps[i];
        return fmt::format("after {}: {} program(s), {} link(s)", s.after, s.programs, s.links);
    };
    const auto &s = seen->steps;
    out.push_back(observe(claims[0], s[1].programs == 0 && s[1].links == 0, step(1)));
    out.push_back(observe(claims[1], s[2].programs == 1 && s[2].links == 0, step(2)));
    out.push_back(
        observe(claims[2], seen->rodata_write_errno == EPERM,
                seen->rodata_write_errno ? errno_text(seen->rodata_write_errno) : "the write was accepted"));
    out.push_back(observe(claims[3], s[3].programs == 1 && (s[3].links == 1 || !seen->attached.empty()),
                          seen->attached.empty()
                              ? step(3)
                              : fmt::format("{}; its perf event holds it at {}", step(3), seen->attached)));
    out.push_back(observe(claims[4], s[4].programs == 0 && s[4].links == 0, step(4)));
    return out;
}

}  // namespace

Lab lab_06_skeleton()
{
    return {6, "skeleton-lifecycle", "A skeleton's life: open, load, attach, destroy", run, check, {"tracepoint"}};
}

}  // namespace probectl::lab
