// Lab 11: uprobe and uretprobe on libc's execve. A uprobe runs in the calling process before the
// system call, so it reads the caller's own memory; a uretprobe runs when execve returns, which a
// successful execve never does: the image that called it is gone.
#include "labs/labs_list.h"

#include "labs/exec_capture.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace probectl::lab {
namespace {

constexpr const char *kMissing = "/nonexistent/probectl-lab-11";
constexpr const char *kTrue = "/bin/true";

// One child: execve of a missing file (fails, ENOENT, and returns), then of /bin/true (succeeds).
Expected<void> two_execs()
{
    return exec_each_in_child({kMissing, kTrue});
}

Expected<Capture> experiment()
{
    return capture({"uprobe", "uretprobe"}, "execve", two_execs);
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->unsupported.empty())
        return fmt::format("This lab needs uprobes: {}\n", seen->unsupported);
    std::string out = fmt::format("uprobe and uretprobe on {}; one child calls execve(\"{}\") (fails), then "
                                  "execve(\"{}\") (succeeds).\n",
                                  seen->attach_points["uprobe"], kMissing, kTrue);
    for (const char *hook : {"uprobe", "uretprobe"}) {
        out += fmt::format("\n{} saw {}:\n", hook, seen->events[hook].size());
        for (const auto &e : seen->events[hook])
            out += "  " + describe(e) + "\n";
    }
    out += "\nLook at: which call the uretprobe missed, and its return value: libc's -1 (the error is in errno),\n"
           "not the kernel's -ENOENT that a kretprobe or fexit would show.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims{
        "the uprobe sees both execve calls, with the file name read from the caller's memory",
        "the uretprobe sees only the failing call: a successful execve never returns",
        "the uretprobe reads libc's return value, -1 (the error is left in errno)",
        "the uretprobe has no file name: at return the arguments are gone from the registers"};
    if (!seen->unsupported.empty())
        return none_checkable(claims, seen->unsupported);
    std::vector<Observation> out;
    std::vector<std::string> names;
    const auto &uprobe = seen->events["uprobe"];
    const auto &uretprobe = seen->events["uretprobe"];
    for (const auto &e : uprobe)
        names.push_back(e.filename.value_or("(none)"));
    out.push_back(observe(claims[0], names == std::vector<std::string>{kMissing, kTrue},
                          fmt::format("uprobe file names: {}", fmt::join(names, ", "))));
    out.push_back(
        observe(claims[1], uretprobe.size() == 1, fmt::format("uretprobe events: {}", uretprobe.size())));
    const auto *ret = uretprobe.empty() ? nullptr : &uretprobe.front();
    out.push_back(
        observe(claims[2], ret && ret->retval == -1, ret ? "uretprobe: " + describe(*ret) : "no uretprobe event"));
    out.push_back(
        observe(claims[3], ret && !ret->filename, ret ? "uretprobe: " + describe(*ret) : "no uretprobe event"));
    return out;
}

}  // namespace

Lab lab_11_uprobes()
{
    return {11, "uprobe-uretprobe", "uprobe and uretprobe on libc's execve", run, check, {"uprobe", "uretprobe"}};
}

}  // namespace probectl::lab
