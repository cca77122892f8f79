// Lab 8: kretprobe versus fexit. Both run when a kernel function returns and both read its return
// value; only fexit still has the function's arguments, because a BPF trampoline saved them on entry.
#include "labs/labs_list.h"

#include "labs/exec_capture.h"

#include <fmt/format.h>
#include <unistd.h>

namespace probectl::lab {
namespace {

constexpr const char *kTrue = "/bin/true";

Expected<Capture> experiment()
{
    return capture({"kretprobe", "fexit"}, "do_execve", [] { return exec_in_child(kTrue); });
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty())
        return fmt::format(
            "This lab needs kprobes and BPF trampolines: {}\n"
            "Run it in another kernel: scripts/vm/run.sh --kernel bookworm -- build/probectl lab run 8\n",
            seen->unsupported);
    std::string out = fmt::format("One child execs {}. do_execve is inlined on current kernels, so each hook is "
                                  "moved to the nearest function it can use:\n",
                                  kTrue);
    for (const char *hook : {"kretprobe", "fexit"})
        out += fmt::format("  {:<9} at {}\n", hook, seen->attach_points[hook]);
    for (const char *hook : {"kretprobe", "fexit"}) {
        out += fmt::format("\n{} saw {}:\n", hook, seen->events[hook].size());
        for (const auto &e : seen->events[hook])
            out += "  " + describe(e) + "\n";
    }
    out += "\nLook at: both have the return value; only fexit has the file name. A kretprobe would have to\n"
           "save the argument itself at entry (a kprobe and a map keyed by thread) to know it at return.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims{"kretprobe and fexit each see the exec once, returning 0",
                                          "fexit still sees the function's argument at return: the file name",
                                          "kretprobe sees no argument at return: the registers have been reused"};
    if (!seen->unsupported.empty())
        return none_checkable(claims, seen->unsupported);
    std::vector<Observation> out;
    const auto &kret = seen->events["kretprobe"];
    const auto &fexit = seen->events["fexit"];
    const auto one_zero = [](const std::vector<ExecEvent> &events) {
        return events.size() == 1 && events.front().retval == 0;
    };
    const auto first = [](const std::vector<ExecEvent> &events) {
        return events.empty() ? std::string("no event") : describe(events.front());
    };
    out.push_back(observe(claims[0], one_zero(kret) && one_zero(fexit),
                          fmt::format("kretprobe: {} event(s), {}; fexit: {} event(s), {}", kret.size(),
                                      first(kret), fexit.size(), first(fexit))));
    out.push_back(observe(claims[1], !fexit.empty() && fexit.front().filename == kTrue, "fexit: " + first(fexit)));
    out.push_back(observe(claims[2], !kret.empty() && !kret.front().filename, "kretprobe: " + first(kret)));
    return out;
}

}  // namespace

Lab lab_08_return_probes()
{
    return {8,     "kretprobe-fexit",     "kretprobe versus fexit: the arguments at return", run,
            check, {"kretprobe", "fexit"}};
}

}  // namespace probectl::lab
