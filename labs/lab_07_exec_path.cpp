// Lab 7: kprobe, ksyscall and fentry on the exec path. do_execve is the function every tutorial
// names, and on current kernels it does not exist as a function at all: the compiler inlined it.
// What each hook can use instead, and what each then sees.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "labs/exec_capture.h"
#include "loader/kernel_facts.h"

#include <fmt/format.h>
#include <unistd.h>

namespace probectl::lab {
namespace {

constexpr const char *kTrue = "/bin/true";
const std::vector<std::string> kHooks{"kprobe", "ksyscall", "fentry"};

std::string attach_point(const std::string &hook)
{
    auto resolved = Registry::instance().find(hook)->resolve(*parse_target("do_execve"), ResolveOptions{});
    return resolved ? resolved->describe() : "cannot: " + resolved.error().message;
}

Expected<Capture> exec_once()
{
    return capture(kHooks, "do_execve", [] { return exec_in_child(kTrue); });
}

Expected<std::string> run()
{
    const KernelSymbols &symbols = live_kernel_symbols();
    std::string out = fmt::format(
        "do_execve here: {} kallsyms, {} BTF; compiler clones of do_execveat_common: {}\n\n",
        symbols.in_kallsyms("do_execve") ? "in" : "not in", symbols.btf_func_nargs("do_execve") ? "in" : "not in",
        fmt::join(symbols.clones_of("do_execveat_common"), ", "));
    for (const auto &hook : kHooks)
        out += fmt::format("  {:<9} asked for do_execve, uses {}\n", hook, attach_point(hook));
    auto seen = exec_once();
    if (!seen)
        return std::unexpected(seen.error());
    out += fmt::format("\nOne child execs {}:\n", kTrue);
    if (!seen->unsupported.empty())
        out +=
            "  " + seen->unsupported + "\n  (scripts/vm/run.sh --kernel bookworm -- build/probectl lab run 7)\n";
    for (const auto &hook : kHooks)
        for (const auto &e : seen->events[hook])
            out += fmt::format("  {:<9} {}\n", hook, describe(e));
    out += "\nLook at: where each hook went, and why fentry cannot follow kprobe onto the .isra clone.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    std::vector<Observation> out;
    const KernelSymbols &symbols = live_kernel_symbols();
    const bool inlined = !symbols.in_kallsyms("do_execve") && !symbols.btf_func_nargs("do_execve");
    out.push_back(observe("do_execve is inlined: it is in neither kallsyms nor BTF", inlined,
                          fmt::format("kallsyms: {}; BTF: {}", symbols.in_kallsyms("do_execve") ? "yes" : "no",
                                      symbols.btf_func_nargs("do_execve") ? "yes" : "no")));
    const std::string kprobe = attach_point("kprobe"), fentry = attach_point("fentry"),
                      ksyscall = attach_point("ksyscall");
    out.push_back(observe("a kprobe can use do_execveat_common, or a compiler clone of it (.isra, .constprop)",
                          kprobe.starts_with("do_execveat_common"), "kprobe uses " + kprobe));
    out.push_back(observe("fentry needs a function BTF describes, so it moves to bprm_execve",
                          fentry == "bprm_execve", "fentry uses " + fentry));
    out.push_back(observe("ksyscall attaches to syscalls only, so it moves to execve", ksyscall == "execve",
                          "ksyscall uses " + ksyscall));

    const std::vector<std::string> claims{
        "kprobe, ksyscall and fentry each see the exec once",
        "ksyscall reads the file name from the caller's pointer, fentry from bprm; at do_execveat_common probectl "
        "reads no argument (task fields only)"};
    auto seen = exec_once();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty()) {
        for (const auto &claim : claims)
            out.push_back(cannot_check(claim, seen->unsupported));
        return out;
    }
    std::vector<std::string> details;
    bool once = true;
    for (const auto &hook : kHooks) {
        const auto &events = seen->events[hook];
        once = once && events.size() == 1;
        details.push_back(fmt::format("{}: {}", hook, events.empty() ? "no event" : describe(events.front())));
    }
    const auto filename = [&](const std::string &hook) {
        const auto &events = seen->events[hook];
        return events.size() == 1 ? events.front().filename : std::nullopt;
    };
    const std::string detail = fmt::format("{}", fmt::join(details, "; "));
    out.push_back(observe(claims[0], once, detail));
    out.push_back(observe(
        claims[1], once && filename("ksyscall") == kTrue && filename("fentry") == kTrue && !filename("kprobe"),
        detail));
    return out;
}

}  // namespace

Lab lab_07_exec_path()
{
    return {7,
            "kprobe-ksyscall-fentry",
            "kprobe, ksyscall and fentry on the exec path: an inlined do_execve",
            run,
            check,
            {"kprobe", "ksyscall", "fentry"}};
}

}  // namespace probectl::lab
