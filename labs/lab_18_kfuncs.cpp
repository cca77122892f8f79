// Lab 18: kfuncs. A kfunc is a kernel function a BPF program may call, described by the kernel's
// BTF rather than by a fixed helper number: not a stable ABI, present on some kernels only, and
// allowed for the program types it is registered for. The lab loads the same call of
// bpf_task_from_pid() from each hook type (probes/lab_kfunc.bpf.c), a program that keeps the
// reference it returns, and the call declared __weak behind bpf_ksym_exists()
// (probes/lab_kfunc_weak.bpf.c), which loads with or without the kfunc and says which it found.
#include "labs/labs_list.h"

#include "lab_kfunc.skel.h"
#include "lab_kfunc_weak.skel.h"
#include "labs/exec_capture.h"
#include "loader/core_btf.h"
#include "loader/libbpf_log.h"
#include "loader/text.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <memory>

namespace probectl::lab {
namespace {

constexpr std::string_view kKfunc = "bpf_task_from_pid";
constexpr const char *kFentryTarget = "bprm_execve";  // in every matrix kernel's BTF (lab 7)

// One program of probes/lab_kfunc.bpf.c loaded alone.
struct Trial {
    std::string program, hook;
    std::string not_here;  // why this hook type cannot be tried on this kernel
    int load_error = 0;    // errno; 0: loaded
    std::string reason;    // libbpf's or the verifier's line about it
    [[nodiscard]] std::string shown() const
    {
        if (!not_here.empty())
            return fmt::format("{}: not tried ({})", hook, not_here);
        if (load_error == 0)
            return fmt::format("{}: loaded", hook);
        return fmt::format("{}: refused, {}{}", hook, errno_text(load_error), reason.empty() ? "" : ": " + reason);
    }
};

struct Seen {
    bool kernel_has_kfunc = false;  // a FUNC of that name in the kernel's BTF
    std::vector<Trial> trials;      // each hook type, then the reference kept
    Trial leak;
    int weak_load_error = 0;
    std::uint32_t weak_answer = 0;  // 1: bpf_ksym_exists said yes; 2: no; 0: the program did not run
    std::string no_tp_btf;
};

bool kernel_has(std::string_view function)
{
    const std::unique_ptr<btf, decltype(&btf__free)> kernel(btf__load_vmlinux_btf(), btf__free);
    return kernel && btf__find_by_name_kind(kernel.get(), std::string(function).c_str(), BTF_KIND_FUNC) > 0;
}

// The line that says why: libbpf's about the missing kfunc, or the verifier's.
std::string reason_in(const std::string &log)
{
    for (const std::string_view needle : {"not found in kernel", "is not allowed", "Unreleased reference",
                                          "unknown func", "calling kernel function"})
        if (auto line = log_line_with(log, needle); !line.empty())
            return line;
    return "";
}

Trial try_program(std::string_view name, std::string_view hook)
{
    // Loading a kprobe program needs no kprobe: it is tried even where none can attach.
    Trial trial{std::string(name), std::string(hook), hook == "kprobe" ? "" : hook_problem(hook), 0, ""};
    if (!trial.not_here.empty())
        return trial;
    lab_kfunc_bpf *skel = lab_kfunc_bpf::open(object_open_options());
    if (!skel) {
        trial.load_error = errno;
        return trial;
    }
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, skel->obj)
    {
        const bool it = bpf_program__name(program) == name;
        bpf_program__set_autoload(program, it);
        if (it && hook == "fentry")
            if (int err = bpf_program__set_attach_target(program, 0, kFentryTarget); err != 0)
                trial.not_here = fmt::format("no BTF for {}: {}", kFentryTarget, errno_text(-err));
    }
    if (!trial.not_here.empty()) {
        lab_kfunc_bpf::destroy(skel);
        return trial;
    }
    const LibbpfLogCapture log;
    if (int err = lab_kfunc_bpf::load(skel); err != 0) {
        trial.load_error = -err;
        trial.reason = reason_in(log.text());
    }
    lab_kfunc_bpf::destroy(skel);
    return trial;
}

void run_weak(Seen &seen)
{
    lab_kfunc_weak_bpf *skel = lab_kfunc_weak_bpf::open(object_open_options());
    if (!skel) {
        seen.weak_load_error = errno;
        return;
    }
    skel->rodata->target_tgid = static_cast<std::uint32_t>(getpid());
    if (int err = lab_kfunc_weak_bpf::load(skel); err != 0) {
        seen.weak_load_error = -err;
    } else if (lab_kfunc_weak_bpf::attach(skel) == 0) {
        getppid();  // any system call of this process runs the program
        lab_kfunc_weak_bpf::detach(skel);
        seen.weak_answer = skel->bss->answer;
    }
    lab_kfunc_weak_bpf::destroy(skel);
}

Seen experiment()
{
    Seen seen;
    seen.kernel_has_kfunc = kernel_has(kKfunc);
    for (const auto &[program, hook] :
         std::vector<std::pair<std::string_view, std::string_view>>{{"lab_kf_tp_btf", "tp_btf"},
                                                                    {"lab_kf_fentry", "fentry"},
                                                                    {"lab_kf_kprobe", "kprobe"},
                                                                    {"lab_kf_raw_tp", "raw_tp"},
                                                                    {"lab_kf_tracepoint", "tracepoint"}}) {
        seen.trials.push_back(try_program(program, hook));
    }
    seen.leak = try_program("lab_kf_leak", "tp_btf");
    seen.leak.hook = "tp_btf, the reference kept";
    seen.no_tp_btf = hook_problem("tp_btf");
    if (seen.no_tp_btf.empty())
        run_weak(seen);
    return seen;
}

const Trial &trial_of(const Seen &seen, std::string_view hook)
{
    for (const auto &trial : seen.trials)
        if (trial.hook == hook)
            return trial;
    return seen.trials.front();
}

std::string weak_shown(const Seen &seen)
{
    if (!seen.no_tp_btf.empty())
        return "not tried: " + seen.no_tp_btf;
    if (seen.weak_load_error != 0)
        return "refused at load: " + errno_text(seen.weak_load_error);
    switch (seen.weak_answer) {
    case 1: return "loaded; bpf_ksym_exists() said yes, and the call found this process";
    case 2: return "loaded; bpf_ksym_exists() said no, and the call was never made";
    default: return "loaded; the program did not run";
    }
}

Expected<std::string> run()
{
    const Seen seen = experiment();
    std::string out =
        fmt::format("This kernel's BTF {} a function {}.\n\n", seen.kernel_has_kfunc ? "has" : "has no", kKfunc);
    out += fmt::format("The same call of {}() (declared strong), loaded from each hook type:\n", kKfunc);
    for (const auto &trial : seen.trials)
        out += wrap(trial.shown(), 78, "    ", "        ");
    out += wrap(seen.leak.shown(), 78, "    ", "        ");
    out += fmt::format("\nDeclared __weak, behind bpf_ksym_exists(), on tp_btf:\n    {}\n", weak_shown(seen));
    out += "\nLook at: bpftool btf dump file /sys/kernel/btf/vmlinux | grep \"FUNC 'bpf_task_\";\n"
           "the kernel's kfunc list (Documentation/bpf/kfuncs.rst) for which program types each allows.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    const Seen seen = experiment();
    std::vector<Observation> out;
    const std::string lacks = fmt::format("this kernel has no kfunc {} (6.2 and later have it)", kKfunc);
    const Trial &tp_btf = trial_of(seen, "tp_btf"), &fentry = trial_of(seen, "fentry"),
                &kprobe = trial_of(seen, "kprobe");

    const std::string types_claim =
        fmt::format("{} loads in a tp_btf program and the verifier refuses it in a kprobe program: a kfunc is "
                    "registered for some program types only",
                    kKfunc);
    if (!seen.kernel_has_kfunc)
        out.push_back(cannot_check(types_claim, lacks));
    else if (!tp_btf.not_here.empty())
        out.push_back(cannot_check(types_claim, tp_btf.not_here));
    else
        out.push_back(observe(types_claim,
                              tp_btf.load_error == 0 && kprobe.load_error != 0 &&
                                  kprobe.reason.find("is not allowed") != std::string::npos,
                              tp_btf.shown() + "; " + kprobe.shown()));

    const std::string fentry_claim = fmt::format("{} loads in an fentry program (a tracing program too)", kKfunc);
    if (!seen.kernel_has_kfunc)
        out.push_back(cannot_check(fentry_claim, lacks));
    else if (!fentry.not_here.empty())
        out.push_back(cannot_check(fentry_claim, fentry.not_here));
    else
        out.push_back(observe(fentry_claim, fentry.load_error == 0, fentry.shown()));

    const std::string leak_claim = "a program that keeps the task's reference (no bpf_task_release) is refused: "
                                   "the verifier tracks what a kfunc acquired";
    if (!seen.kernel_has_kfunc)
        out.push_back(cannot_check(leak_claim, lacks));
    else if (!seen.leak.not_here.empty())
        out.push_back(cannot_check(leak_claim, seen.leak.not_here));
    else
        out.push_back(observe(leak_claim,
                              seen.leak.load_error != 0 &&
                                  seen.leak.reason.find("Unreleased reference") != std::string::npos,
                              seen.leak.shown()));

    const std::string strong_claim = "declared strong, a kfunc the kernel lacks makes libbpf refuse the whole "
                                     "object before the kernel sees it, naming the kfunc";
    if (seen.kernel_has_kfunc)
        out.push_back(cannot_check(strong_claim, fmt::format("this kernel has {}", kKfunc)));
    else if (!tp_btf.not_here.empty())
        out.push_back(cannot_check(strong_claim, tp_btf.not_here));
    else
        out.push_back(observe(strong_claim,
                              tp_btf.load_error != 0 && tp_btf.reason.find(kKfunc) != std::string::npos &&
                                  tp_btf.reason.find("not found in kernel") != std::string::npos,
                              tp_btf.shown()));

    const std::string weak_claim =
        "declared __weak, the call loads with or without the kfunc, and bpf_ksym_exists() (a constant libbpf "
        "sets at load) tells the program whether this kernel has it";
    if (!seen.no_tp_btf.empty())
        out.push_back(cannot_check(weak_claim, seen.no_tp_btf));
    else
        out.push_back(observe(
            weak_claim, seen.weak_load_error == 0 && seen.weak_answer == (seen.kernel_has_kfunc ? 1U : 2U),
            fmt::format("the kernel's BTF {} it; {}", seen.kernel_has_kfunc ? "has" : "lacks", weak_shown(seen))));
    return out;
}

}  // namespace

Lab lab_18_kfuncs()
{
    return {18,  "kfuncs", "kfuncs: which hook types may call one, and a kernel without it",
            run, check,    {"tp_btf", "fentry"}};
}

}  // namespace probectl::lab
