// Lab 19: the view from bpftool while attached. The lab attaches one trivial program to each hook
// type this kernel runs (probes/lab_bpftool_view.bpf.c) and asks the kernel what bpftool asks:
// `bpftool perf show` goes through a process's file descriptors and asks BPF_TASK_FD_QUERY of each
// (a kprobe, kretprobe, uprobe or tracepoint perf event, or a raw tracepoint), `bpftool link list`
// walks every BPF link (raw tracepoints, trampolines, and where libbpf attaches perf events through
// links, on 5.15 and later, those too). Each
// program shows under the id probectl holds for it. Then the nop at an fentry call site, read from
// kernel text before, while and after a trampoline is attached.
#include "labs/labs_list.h"

#include "attach/syscall_event.h"  // libc_functions
#include "lab_bpftool_view.skel.h"
#include "labs/exec_capture.h"
#include "loader/core_btf.h"
#include "loader/elf_symbols.h"
#include "loader/text.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace probectl::lab {
namespace {

struct PerfEntry {  // one line of bpftool perf show
    int fd = 0;
    std::uint32_t prog_id = 0, fd_type = 0;
    std::string name;  // function, binary or tracepoint
    std::uint64_t offset = 0;
};

struct LinkEntry {  // one line of bpftool link list
    std::uint32_t id = 0, prog_id = 0, type = 0, attach_type = 0;
    std::string tp_name;  // a raw tracepoint's
};

struct Attached {
    std::string program, hook, where;
    std::string not_here;  // why this hook type is not tried here
    int error = 0;         // errno of the attach; 0: attached
    std::uint32_t prog_id = 0;
    std::uint64_t offset = 0;  // kprobe at function+offset: the first the kernel took
};

using Text = std::array<unsigned char, 16>;

struct Seen {
    std::string function = "bprm_execve";  // in every matrix kernel's BTF and kallsyms (lab 7)
    std::string libc;
    std::uint64_t getppid_offset = 0;  // in libc's file, as a uprobe attaches
    std::vector<Attached> attached;
    std::vector<PerfEntry> perf;
    std::vector<LinkEntry> links;
    std::string nop_not_here;
    bool text_read = false;
    Text before{}, during{}, after{};
};

std::string perf_type(std::uint32_t type)
{
    switch (type) {
    case BPF_FD_TYPE_RAW_TRACEPOINT: return "raw_tracepoint";
    case BPF_FD_TYPE_TRACEPOINT: return "tracepoint";
    case BPF_FD_TYPE_KPROBE: return "kprobe";
    case BPF_FD_TYPE_KRETPROBE: return "kretprobe";
    case BPF_FD_TYPE_UPROBE: return "uprobe";
    case BPF_FD_TYPE_URETPROBE: return "uretprobe";
    default: return fmt::format("type {}", type);
    }
}

std::string link_type(std::uint32_t type)
{
    const char *name = libbpf_bpf_link_type_str(static_cast<bpf_link_type>(type));
    return name ? name : fmt::format("type {}", type);
}

std::string shown(const PerfEntry &e)
{
    return fmt::format("fd {}: prog_id {} {} {}{}", e.fd, e.prog_id, perf_type(e.fd_type), e.name,
                       e.fd_type == BPF_FD_TYPE_TRACEPOINT || e.fd_type == BPF_FD_TYPE_RAW_TRACEPOINT
                           ? ""
                           : fmt::format(" offset {:#x}", e.offset));
}

std::string shown(const LinkEntry &e)
{
    std::string what = link_type(e.type);
    if (e.type == BPF_LINK_TYPE_TRACING)
        what += fmt::format(" attach_type {}",
                            libbpf_bpf_attach_type_str(static_cast<bpf_attach_type>(e.attach_type)));
    if (!e.tp_name.empty())
        what += " tp " + e.tp_name;
    return fmt::format("link {}: prog_id {} {}", e.id, e.prog_id, what);
}

// bpftool perf show, for this process: every fd the kernel can say a BPF program is attached through.
std::vector<PerfEntry> perf_show()
{
    std::vector<PerfEntry> out;
    std::error_code failed;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/self/fd", failed)) {
        PerfEntry e;
        e.fd = std::atoi(entry.path().filename().c_str());
        char name[256] = {};
        std::uint32_t length = sizeof(name);
        __u64 offset = 0, addr = 0;
        if (bpf_task_fd_query(getpid(), e.fd, 0, name, &length, &e.prog_id, &e.fd_type, &offset, &addr) != 0)
            continue;
        e.name = name;
        e.offset = offset;
        out.push_back(e);
    }
    std::ranges::sort(out, {}, &PerfEntry::fd);
    return out;
}

// bpftool link list: every BPF link on the system.
std::vector<LinkEntry> link_list()
{
    std::vector<LinkEntry> out;
    for (std::uint32_t id = 0; bpf_link_get_next_id(id, &id) == 0;) {
        const int fd = bpf_link_get_fd_by_id(id);
        if (fd < 0)
            continue;
        // Asked once with nothing to fill (a link's union is read by its type: kprobe_multi's holds an
        // address array), then again with a name buffer for a raw tracepoint, as bpftool does.
        bpf_link_info info{};
        std::uint32_t length = sizeof(info);
        if (bpf_link_get_info_by_fd(fd, &info, &length) == 0) {
            LinkEntry e{info.id, info.prog_id, info.type, 0, ""};
            if (info.type == BPF_LINK_TYPE_TRACING)
                e.attach_type = info.tracing.attach_type;
            if (info.type == BPF_LINK_TYPE_RAW_TRACEPOINT) {
                char tp_name[128] = {};
                bpf_link_info named{};
                length = sizeof(named);
                named.raw_tracepoint.tp_name = reinterpret_cast<std::uintptr_t>(tp_name);
                named.raw_tracepoint.tp_name_len = sizeof(tp_name);
                if (bpf_link_get_info_by_fd(fd, &named, &length) == 0)
                    e.tp_name = tp_name;
            }
            out.push_back(e);
        }
        close(fd);
    }
    return out;
}

std::uint64_t kallsyms_address(const std::string &function)
{
    std::ifstream kallsyms("/proc/kallsyms");
    std::string line;
    while (std::getline(kallsyms, line)) {
        std::istringstream fields(line);
        std::string address, type, name;
        fields >> address >> type >> name;
        if (name == function && (type == "T" || type == "t"))
            return std::stoull(address, nullptr, 16);
    }
    return 0;
}

// The first 16 bytes of the function, read by lab_read_text (which runs on this process's getpgid).
bool read_text(lab_bpftool_view_bpf *skel, Text &text)
{
    skel->bss->text_ret = -1;
    getpgid(0);
    std::ranges::copy(skel->bss->text, text.begin());
    return skel->bss->text_ret == 0;
}

// The reader of the function's first bytes (lab_read_text), attached; null, with the reason in
// seen.nop_not_here, where they cannot be read or the fentry program cannot be attached.
bpf_link *attach_text_reader(lab_bpftool_view_bpf *skel, Seen &seen)
{
#if !defined(__x86_64__)
    seen.nop_not_here = "the call site's bytes are read as x86-64's";
    return nullptr;
#endif
    for (const auto &a : seen.attached)
        if (a.program == "lab_view_fentry" && !a.not_here.empty()) {
            seen.nop_not_here = a.not_here;
            return nullptr;
        }
    if (seen.nop_not_here = hook_problem("tracepoint"); !seen.nop_not_here.empty())
        return nullptr;
    skel->bss->text_address = kallsyms_address(seen.function);
    if (skel->bss->text_address == 0) {
        seen.nop_not_here = "/proc/kallsyms shows no address for " + seen.function;
        return nullptr;
    }
    bpf_link *reader = bpf_program__attach(skel->progs.lab_read_text);
    if (!reader)
        seen.nop_not_here = "the text reader did not attach: " + errno_text(errno);
    return reader;
}

std::uint32_t prog_id(const bpf_program *program)
{
    bpf_prog_info info{};
    std::uint32_t length = sizeof(info);
    return bpf_prog_get_info_by_fd(bpf_program__fd(program), &info, &length) == 0 ? info.id : 0;
}

bpf_link *attach_one(lab_bpftool_view_bpf *skel, Attached &a, const Seen &seen)
{
    bpf_program *program = bpf_object__find_program_by_name(skel->obj, a.program.c_str());
    a.prog_id = prog_id(program);
    if (a.hook == "kprobe" || a.hook == "kretprobe") {
        if (a.program != "lab_view_kprobe_off")
            return bpf_program__attach_kprobe(program, a.hook == "kretprobe", seen.function.c_str());
        // The kernel takes a probe only at an instruction's start (EILSEQ elsewhere): the first past entry.
        for (a.offset = 1; a.offset < 32; a.offset++) {
            bpf_kprobe_opts options{};
            options.sz = sizeof(options);
            options.offset = a.offset;
            if (bpf_link *link = bpf_program__attach_kprobe_opts(program, seen.function.c_str(), &options))
                return link;
        }
        return nullptr;
    }
    if (a.hook == "uprobe") {
        bpf_uprobe_opts options{};
        options.sz = sizeof(options);
        options.func_name = "getppid";
        return bpf_program__attach_uprobe_opts(program, getpid(), seen.libc.c_str(), 0, &options);
    }
    return bpf_program__attach(program);
}

Expected<Seen> experiment()
{
    Seen seen;
    const auto &libc = libc_functions();
    if (!libc)
        return std::unexpected(libc.error());
    seen.libc = libc->path;
    if (auto symbol = find_elf_function(seen.libc, "getppid"))
        seen.getppid_offset = symbol->file_offset;
    seen.attached = {
        {"lab_view_kprobe", "kprobe", seen.function, "", 0, 0, 0},
        {"lab_view_kretprobe", "kretprobe", seen.function, "", 0, 0, 0},
        {"lab_view_kprobe_off", "kprobe", seen.function + "+N", "", 0, 0, 0},
        {"lab_view_uprobe", "uprobe", seen.libc + ":getppid", "", 0, 0, 0},
        {"lab_view_tracepoint", "tracepoint", "syscalls:sys_enter_getppid", "", 0, 0, 0},
        {"lab_view_raw_tp", "raw_tp", "sys_enter", "", 0, 0, 0},
        {"lab_view_fentry", "fentry", seen.function, "", 0, 0, 0},
    };
    lab_bpftool_view_bpf *skel = lab_bpftool_view_bpf::open(object_open_options());
    if (!skel)
        return fail(ErrorKind::kernel, "opening the lab's BPF object failed: " + errno_text(errno));
    for (auto &a : seen.attached) {
        a.not_here = hook_problem(a.hook);
        bpf_program *program = bpf_object__find_program_by_name(skel->obj, a.program.c_str());
        bpf_program__set_autoload(program, a.not_here.empty());
        if (a.hook == "fentry" && a.not_here.empty())
            if (int err = bpf_program__set_attach_target(program, 0, seen.function.c_str()); err != 0) {
                a.not_here = fmt::format("no BTF for {}: {}", seen.function, errno_text(-err));
                bpf_program__set_autoload(program, false);
            }
    }
    bpf_program__set_autoload(skel->progs.lab_read_text, hook_problem("tracepoint").empty());
    skel->rodata->target_tgid = static_cast<std::uint32_t>(getpid());
    if (int err = lab_bpftool_view_bpf::load(skel); err != 0) {
        lab_bpftool_view_bpf::destroy(skel);
        return fail(ErrorKind::kernel, "loading the lab's BPF object failed: " + errno_text(-err));
    }
    // The function's first bytes before anything is attached, with the fentry program alone (a kprobe
    // at the function's entry goes through the same call site), and after everything is detached.
    // fentry goes first: a kernel before 5.11 attaches a tracing program once only.
    bpf_link *reader = attach_text_reader(skel, seen);
    seen.text_read = reader && read_text(skel, seen.before);
    std::vector<bpf_link *> links;
    for (const bool fentry : {true, false})
        for (auto &a : seen.attached) {
            if (!a.not_here.empty() || (a.hook == "fentry") != fentry)
                continue;
            bpf_link *link = attach_one(skel, a, seen);
            if (link)
                links.push_back(link);
            else
                a.error = errno;
            if (fentry && reader)
                seen.text_read = read_text(skel, seen.during) && seen.text_read;
        }
    seen.perf = perf_show();
    seen.links = link_list();
    for (bpf_link *link : links)
        bpf_link__destroy(link);
    if (reader) {
        seen.text_read = read_text(skel, seen.after) && seen.text_read;
        bpf_link__destroy(reader);
    }
    lab_bpftool_view_bpf::destroy(skel);
    return seen;
}

const Attached &attached(const Seen &seen, std::string_view program)
{
    return *std::ranges::find(seen.attached, program, &Attached::program);
}

std::vector<PerfEntry> perf_of(const Seen &seen, std::uint32_t prog_id)
{
    std::vector<PerfEntry> out;
    for (const auto &e : seen.perf)
        if (e.prog_id == prog_id && prog_id != 0)
            out.push_back(e);
    return out;
}

std::vector<LinkEntry> links_of(const Seen &seen, std::uint32_t prog_id)
{
    std::vector<LinkEntry> out;
    for (const auto &e : seen.links)
        if (e.prog_id == prog_id && prog_id != 0)
            out.push_back(e);
    return out;
}

std::string state(const Attached &a)
{
    if (!a.not_here.empty())
        return "not tried: " + a.not_here;
    if (a.error != 0)
        return "did not attach: " + errno_text(a.error);
    return fmt::format("prog_id {}", a.prog_id);
}

std::string bytes(const Text &text)
{
    return fmt::format("{:02x}", fmt::join(text, " "));
}

// Where the fentry call site is: at the start, or after a 4-byte endbr64 (or the nop it is sealed
// to); a 5-byte nop there: the one kernels write since 5.13, or K8's, which older ones chose on
// some CPUs.
std::size_t call_site(const Text &before)
{
    static constexpr std::array<std::array<unsigned char, 5>, 2> nops{
        {{0x0f, 0x1f, 0x44, 0x00, 0x00}, {0x66, 0x66, 0x66, 0x66, 0x90}}};
    for (std::size_t at : {0, 4})
        for (const auto &nop : nops)
            if (std::equal(nop.begin(), nop.end(), before.begin() + static_cast<std::ptrdiff_t>(at)))
                return at;
    return before.size();
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::string out = "Attached, one program each:\n";
    for (const auto &a : seen->attached)
        out += wrap(fmt::format("{} at {}: {}", a.hook, a.where, state(a)), 78, "    ", "        ");
    out += "\nbpftool perf show (this process's fds):\n";
    for (const auto &e : seen->perf)
        out += wrap(shown(e), 78, "    ", "        ");
    out += "\nbpftool link list (the lab's programs' links):\n";
    for (const auto &a : seen->attached)
        for (const auto &e : links_of(*seen, a.prog_id))
            out += wrap(shown(e), 78, "    ", "        ");
    out += fmt::format("\nThe first bytes of {}:\n", seen->function);
    if (!seen->nop_not_here.empty())
        out += wrap("not read: " + seen->nop_not_here, 78, "    ", "        ");
    else
        out += fmt::format("    before fentry: {}\n    while attached: {}\n    after detach:  {}\n",
                           bytes(seen->before), bytes(seen->during), bytes(seen->after));
    out += "\nLook at: sudo bpftool perf show; sudo bpftool link list, while probectl attach\n"
           "runs; the offset perf show gives for a kprobe at function+N.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::vector<Observation> out;
    const auto claim = [&](std::string what, const std::vector<std::string_view> &programs, auto holds) {
        for (const auto program : programs)
            if (const Attached &a = attached(*seen, program); !a.not_here.empty()) {
                out.push_back(cannot_check(std::move(what), a.not_here));
                return;
            }
        std::string detail;
        for (const auto program : programs) {
            const Attached &a = attached(*seen, program);
            detail += (detail.empty() ? "" : "; ") + a.hook + ": " + state(a);
            for (const auto &e : perf_of(*seen, a.prog_id))
                detail += ", " + shown(e);
            for (const auto &e : links_of(*seen, a.prog_id))
                detail += ", " + shown(e);
        }
        out.push_back(observe(std::move(what), holds(), detail));
    };
    const auto perf_is = [&](std::string_view program, std::uint32_t type, const std::string &name,
                             std::uint64_t offset) {
        const auto entries = perf_of(*seen, attached(*seen, program).prog_id);
        return entries.size() == 1 && entries[0].fd_type == type && entries[0].name == name &&
               entries[0].offset == offset;
    };
    claim("bpftool perf show lists the kprobe and the kretprobe at the function with offset 0, and the probe "
          "at function+N with its N",
          {"lab_view_kprobe", "lab_view_kretprobe", "lab_view_kprobe_off"}, [&] {
              const Attached &off = attached(*seen, "lab_view_kprobe_off");
              return perf_is("lab_view_kprobe", BPF_FD_TYPE_KPROBE, seen->function, 0) &&
                     perf_is("lab_view_kretprobe", BPF_FD_TYPE_KRETPROBE, seen->function, 0) && off.error == 0 &&
                     perf_is("lab_view_kprobe_off", BPF_FD_TYPE_KPROBE, seen->function, off.offset);
          });
    claim("bpftool perf show lists the uprobe with libc's path and getppid's offset in the file, and the "
          "tracepoint by its name",
          {"lab_view_uprobe", "lab_view_tracepoint"}, [&] {
              return seen->getppid_offset != 0 &&
                     perf_is("lab_view_uprobe", BPF_FD_TYPE_UPROBE, seen->libc, seen->getppid_offset) &&
                     perf_is("lab_view_tracepoint", BPF_FD_TYPE_TRACEPOINT, "sys_enter_getppid", 0);
          });
    claim("a raw_tp program shows in both: in perf show as a raw tracepoint, in link list as a raw_tracepoint "
          "link, each naming sys_enter",
          {"lab_view_raw_tp"}, [&] {
              const auto links = links_of(*seen, attached(*seen, "lab_view_raw_tp").prog_id);
              return perf_is("lab_view_raw_tp", BPF_FD_TYPE_RAW_TRACEPOINT, "sys_enter", 0) && links.size() == 1 &&
                     links[0].type == BPF_LINK_TYPE_RAW_TRACEPOINT && links[0].tp_name == "sys_enter";
          });
    claim("an fentry program shows only in link list: a tracing link of attach type fentry (a trampoline has "
          "no perf event)",
          {"lab_view_fentry"}, [&] {
              const std::uint32_t id = attached(*seen, "lab_view_fentry").prog_id;
              const auto links = links_of(*seen, id);
              return perf_of(*seen, id).empty() && links.size() == 1 && links[0].type == BPF_LINK_TYPE_TRACING &&
                     links[0].attach_type == BPF_TRACE_FENTRY;
          });
    {
        std::vector<std::string> missing, tried;
        for (const auto &a : seen->attached) {
            if (!a.not_here.empty())
                continue;
            tried.push_back(a.hook);
            if (a.error != 0 || (perf_of(*seen, a.prog_id).empty() && links_of(*seen, a.prog_id).empty()))
                missing.push_back(fmt::format("{} ({})", a.program, state(a)));
        }
        out.push_back(observe("each program attached shows in perf show or link list under the id probectl holds "
                              "for it",
                              missing.empty() && !tried.empty(),
                              missing.empty() ? fmt::format("found: {}", fmt::join(tried, ", "))
                                              : fmt::format("not found: {}", fmt::join(missing, ", "))));
    }
    const std::string nop_claim =
        "the fentry call site is a 5-byte nop (0f 1f 44 00 00, or 66 66 66 66 90 on some "
        "CPUs before 5.13) at the function's start or after its endbr64; with fentry "
        "attached, a call (e8); detached, the nop again";
    if (!seen->nop_not_here.empty()) {
        out.push_back(cannot_check(nop_claim, seen->nop_not_here));
    } else {
        const std::size_t at = call_site(seen->before);
        // Only the call site's 5 bytes: a kprobe at function+N nearby may still be unoptimized lazily.
        const auto site = [at](const Text &text) {
            return std::vector<unsigned char>(text.begin() + static_cast<std::ptrdiff_t>(at),
                                              text.begin() + static_cast<std::ptrdiff_t>(at + 5));
        };
        out.push_back(observe(nop_claim,
                              seen->text_read && at < seen->before.size() && seen->during[at] == 0xe8 &&
                                  site(seen->after) == site(seen->before),
                              fmt::format("{}: before {}; attached {}; after {}", seen->function,
                                          bytes(seen->before), bytes(seen->during), bytes(seen->after))));
    }
    return out;
}

}  // namespace

Lab lab_19_bpftool_view()
{
    return {19,  "bpftool-view", "The view from bpftool while attached: perf show, link list, fentry's nop",
            run, check,          {"kprobe", "kretprobe", "uprobe", "tracepoint", "raw_tp", "fentry"}};
}

}  // namespace probectl::lab
