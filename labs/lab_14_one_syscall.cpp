// Lab 14: one syscall through every hook type. A child calls openat twice, through libc's openat and
// through syscall(2); each hook type sees it at its own attach point for the syscall
// (attach/syscall_event.h): the architecture's wrapper, sys_enter, the syscall's tracepoint, libc's
// function. All but libc's see both calls, and every hook that reads the arguments reads the same
// file name, by the same name.
#include "labs/labs_list.h"

#include "attach/registry.h"
#include "labs/exec_capture.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace probectl::lab {
namespace {

constexpr const char *kPath = "/nonexistent/probectl-lab14";  // ENOENT: nothing is opened

bool in_libc(const std::string &hook)
{
    const auto *strategy = Registry::instance().find(hook);
    return strategy && (strategy->info().target_kind == TargetKind::user_function ||
                        strategy->info().target_kind == TargetKind::user_functions);
}

bool sees_return(const std::string &hook)
{
    const auto *strategy = Registry::instance().find(hook);
    return strategy && strategy->info().return_value;
}

// Every hook type that works here, at openat, and the events of the child's two calls: probectl's
// own opens while it attaches the hooks one by one pass the same filter, and are left out.
Expected<Capture> experiment()
{
    std::vector<std::string> hooks;
    for (const auto &strategy : Registry::instance().all())
        hooks.emplace_back(strategy->info().name);
    pid_t child = 0;
    auto seen = capture(
        hooks, "openat",
        [&child] {
            return in_child(
                [] {
                    char path[64];  // on the child's stack: touched, so a BPF program can read it
                    std::strncpy(path, kPath, sizeof(path));
                    openat(AT_FDCWD, path, O_RDONLY);
                    syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
                    _exit(0);
                },
                &child);
        },
        Missing::skip);
    if (seen)
        for (auto &[hook, events] : seen->events)
            std::erase_if(events,
                          [child](const ExecEvent &e) { return e.tgid != static_cast<std::uint32_t>(child); });
    return seen;
}

// The file name an event read, when its hook's description has one.
std::optional<std::string> filename(const Capture &seen, const std::string &hook, const ExecEvent &event)
{
    const auto values = seen.values.find(hook);
    if (values == seen.values.end() || !event.values)
        return std::nullopt;
    const auto &fields = values->second.fields;
    const auto field = std::ranges::find(fields, "filename", &ValueField::name);
    const auto index = static_cast<size_t>(field - fields.begin());
    if (field == fields.end() || index >= event.values->size() || !(*event.values)[index].read)
        return std::nullopt;
    return (*event.values)[index].text;
}

// The return value as the int it is: libc's -1 fills only the register's low half.
std::optional<int> returned(const ExecEvent &event)
{
    return event.retval ? std::optional(static_cast<int>(*event.retval)) : std::nullopt;
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    std::string out = fmt::format("A child calls openat(\"{}\") twice: through libc's openat, then through "
                                  "syscall(2).\n\n{:<13} {:<42} {:>5}  {}\n",
                                  kPath, "HOOK", "ATTACHED AT", "CALLS", "FILE NAME READ / RETURNED");
    for (const auto &[hook, events] : seen->events) {
        std::string read = "-";
        if (!events.empty()) {
            if (auto name = filename(*seen, hook, events.front()))
                read = "\"" + *name + "\"";
            else if (auto ret = returned(events.front()))
                read = fmt::format("returned {}", *ret);
        }
        std::string at = seen->attach_points[hook];
        if (at.size() > 42)
            at = "..." + at.substr(at.size() - 39);
        out += fmt::format("{:<13} {:<42} {:>5}  {}\n", hook, at, events.size(), read);
    }
    for (const auto &[hook, why] : seen->not_here)
        out += fmt::format("{:<13} not here: {}\n", hook, why);
    out += "\nLook at: libc's hooks saw one call, the others two: syscall(2) never enters libc's openat.\n"
           "Every hook that reads the arguments calls the file name 'filename': each reads it where it\n"
           "is (the tracepoint's record, the user's registers), named by the syscall's format file.\n"
           "The kernel returns -2 (ENOENT); libc returns -1 and leaves ENOENT in errno.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims{
        "every hook at the kernel's side of openat sees both calls",
        "libc's hooks see only the call made through libc's openat, not the raw syscall(2)",
        "every hook that reads openat's arguments reads the file name the child passed",
        "return hooks see -2 (ENOENT) from the kernel and -1 from libc"};
    // Each side's hooks, whether each saw as many calls as it should, and what each saw.
    struct Side {
        size_t expected_calls = 0;
        size_t hooks = 0;
        bool ok = true;
        std::string seen = {};
    };
    Side kernel{2}, libc{1};
    size_t readers = 0, return_hooks = 0;
    bool names_ok = true, returns_ok = true;
    std::string names, returns;
    for (const auto &[hook, events] : seen->events) {
        Side &side = in_libc(hook) ? libc : kernel;
        side.hooks++;
        side.ok = side.ok && events.size() == side.expected_calls;
        side.seen += fmt::format("{}{} {}", side.seen.empty() ? "" : ", ", hook, events.size());
        readers += !events.empty() && filename(*seen, hook, events.front()).has_value();
        return_hooks += !events.empty() && sees_return(hook);
        for (const auto &event : events) {
            if (auto name = filename(*seen, hook, event); name && *name != kPath) {
                names_ok = false;
                names += fmt::format("{} read '{}'; ", hook, *name);
            }
            if (sees_return(hook)) {
                const auto ret = returned(event);
                returns_ok = returns_ok && ret == (&side == &libc ? -1 : -ENOENT);
                returns += fmt::format("{}{} returned {}", returns.empty() ? "" : ", ", hook,
                                       ret ? std::to_string(*ret) : "nothing");
            }
        }
    }
    std::vector<Observation> out;
    auto judged = [&](const std::string &claim, size_t hooks, bool ok, const std::string &detail) {
        out.push_back(hooks ? observe(claim, ok, detail)
                            : cannot_check(claim, "no hook of that kind works on this kernel"));
    };
    judged(claims[0], kernel.hooks, kernel.ok, "calls seen: " + kernel.seen);
    judged(claims[1], libc.hooks, libc.ok, "calls seen: " + libc.seen);
    judged(claims[2], readers, names_ok,
           names.empty() ? fmt::format("{} hooks read '{}'", readers, kPath) : names);
    judged(claims[3], return_hooks, returns_ok, returns);
    return out;
}

}  // namespace

Lab lab_14_one_syscall()
{
    return {14,  "one-syscall", "one syscall through every hook type: openat, by libc and by syscall(2)",
            run, check,         {}};
}

}  // namespace probectl::lab
