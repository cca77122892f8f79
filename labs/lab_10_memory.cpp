// Lab 10: user versus kernel memory. A BPF program must say which address space it reads: the
// execve syscall's file name pointer is user memory; bprm->filename is the kernel's own copy. The
// lab reads each with the right helper and with the wrong one (probes/lab_memory.bpf.c).
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "attach/support.h"
#include "lab_memory.skel.h"
#include "labs/exec_capture.h"
#include "loader/core_btf.h"
#include "probes/lab_memory.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace probectl::lab {
namespace {

constexpr const char *kTrue = "/bin/true";

struct Read {
    long long ret = 0;
    std::string text;
};

struct Seen {
    Read user_as_user, user_as_kernel, kernel_as_kernel, kernel_as_user;
    std::string no_user, no_kernel;  // why a half cannot run here
};

Read to_read(const lab_read &r)
{
    return {r.ret, r.ret > 0 ? std::string(r.text, strnlen(r.text, sizeof(r.text))) : ""};
}

Expected<Seen> experiment()
{
    Seen seen;
    seen.no_user = hook_problem("tracepoint");
    seen.no_kernel = hook_problem("tp_btf");
    if (!seen.no_user.empty() && !seen.no_kernel.empty())
        return seen;

    // The child waits until the programs are loaded for its pid, then execs.
    int go[2];
    if (pipe(go) != 0)
        return fail(ErrorKind::workload, "pipe failed: " + errno_text(errno));
    const pid_t child = fork();
    if (child < 0)
        return fail(ErrorKind::workload, "fork failed: " + errno_text(errno));
    if (child == 0) {
        close(go[1]);
        char byte = 0;
        if (read(go[0], &byte, 1) != 1)
            _exit(126);
        char path[32];  // on the stack, so the page is there when the program reads it
        std::snprintf(path, sizeof(path), "%s", kTrue);
        char *argv[] = {path, nullptr};
        char *envp[] = {nullptr};
        execve(path, argv, envp);
        _exit(127);
    }
    close(go[0]);
    lab_memory_bpf *skel = lab_memory_bpf::open(object_open_options());
    auto finish = [&](Expected<Seen> result) {
        close(go[1]);
        waitpid(child, nullptr, 0);
        lab_memory_bpf::destroy(skel);
        return result;
    };
    if (!skel)
        return finish(fail(ErrorKind::kernel, "opening the lab's BPF object failed: " + errno_text(errno)));
    skel->rodata->targ_tgid = static_cast<__u32>(child);
    bpf_program__set_autoload(skel->progs.lab_memory_user, seen.no_user.empty());
    bpf_program__set_autoload(skel->progs.lab_memory_kernel, seen.no_kernel.empty());
    if (int err = lab_memory_bpf::load(skel); err != 0)
        return finish(fail(ErrorKind::kernel, "loading the lab's BPF object failed: " + errno_text(-err)));
    if (seen.no_user.empty())
        skel->links.lab_memory_user = bpf_program__attach(skel->progs.lab_memory_user);
    if (seen.no_kernel.empty())
        skel->links.lab_memory_kernel = bpf_program__attach(skel->progs.lab_memory_kernel);
    if ((seen.no_user.empty() && !skel->links.lab_memory_user) ||
        (seen.no_kernel.empty() && !skel->links.lab_memory_kernel))
        return finish(fail(ErrorKind::kernel, "attaching the lab's programs failed: " + errno_text(errno)));
    if (write(go[1], "g", 1) != 1)
        return finish(fail(ErrorKind::workload, "cannot release the lab's child"));
    close(go[1]);
    go[1] = -1;
    int status = 0;
    waitpid(child, &status, 0);
    const std::uint32_t zero = 0;
    lab_memory m{};
    if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.results), &zero, &m) != 0) {
        lab_memory_bpf::destroy(skel);
        return fail(ErrorKind::kernel, "reading the lab's results failed: " + errno_text(errno));
    }
    lab_memory_bpf::destroy(skel);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorKind::workload, fmt::format("{} did not run (wait status {:#x})", kTrue, status));
    seen.user_as_user = to_read(m.user_as_user);
    seen.user_as_kernel = to_read(m.user_as_kernel);
    seen.kernel_as_kernel = to_read(m.kernel_as_kernel);
    seen.kernel_as_user = to_read(m.kernel_as_user);
    return seen;
}

std::string shown(const Read &r)
{
    return r.ret > 0 ? fmt::format("returned {}, read '{}'", r.ret, r.text)
                     : fmt::format("returned {} ({})", r.ret, errno_text(static_cast<int>(-r.ret)));
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::string out = fmt::format("One child execs {}; its file name is read four ways.\n\n", kTrue);
    if (seen->no_user.empty())
        out += fmt::format("  syscall argument (user memory), bpf_probe_read_user_str:   {}\n"
                           "  syscall argument (user memory), bpf_probe_read_kernel_str: {}\n",
                           shown(seen->user_as_user), shown(seen->user_as_kernel));
    else
        out += "  " + seen->no_user + "\n";
    if (seen->no_kernel.empty())
        out += fmt::format("  bprm->filename (kernel memory), bpf_probe_read_kernel_str: {}\n"
                           "  bprm->filename (kernel memory), bpf_probe_read_user_str:   {}\n",
                           shown(seen->kernel_as_kernel), shown(seen->kernel_as_user));
    else
        out += "  " + seen->no_kernel + "\n";
    out += "\nLook at: the wrong helper does not read garbage, it fails: on x86-64 the kernel refuses a user\n"
           "address to the kernel helper and a kernel address to the user helper.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::vector<Observation> out;
    const auto right = [&](const std::string &claim, const Read &r, const std::string &problem) {
        out.push_back(problem.empty()
                          ? observe(claim, r.ret == long(std::strlen(kTrue)) + 1 && r.text == kTrue, shown(r))
                          : cannot_check(claim, problem));
    };
    const auto wrong = [&](const std::string &claim, const Read &r, const std::string &problem) {
        out.push_back(problem.empty() ? observe(claim, r.ret < 0, shown(r)) : cannot_check(claim, problem));
    };
    right("bpf_probe_read_user_str reads the syscall's file name from user memory", seen->user_as_user,
          seen->no_user);
    wrong("bpf_probe_read_kernel_str refuses that user pointer", seen->user_as_kernel, seen->no_user);
    right("bpf_probe_read_kernel_str reads bprm->filename, the kernel's copy", seen->kernel_as_kernel,
          seen->no_kernel);
    wrong("bpf_probe_read_user_str refuses that kernel pointer", seen->kernel_as_user, seen->no_kernel);
    return out;
}

}  // namespace

Lab lab_10_memory()
{
    return {10,    "user-kernel-memory",    "User versus kernel memory: the read helpers", run,
            check, {"tracepoint", "tp_btf"}};
}

}  // namespace probectl::lab
