// probectl attach: one hook at one target, events streamed until Ctrl-C, SIGTERM, --count or
// --duration; then detach and a summary.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <linux/magic.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "attach/registry.h"
#include "attach/support.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/line_writer.h"
#include "compare/workload.h"
#include "loader/binary_watch.h"
#include "loader/drop_watch.h"
#include "loader/event_format.h"
#include "loader/event_stream.h"
#include "loader/kernel_facts.h"
#include "loader/stop_signal.h"
#include "loader/text.h"
#include "probes/event.h"

namespace probectl {
namespace {

// CLOCK_REALTIME - CLOCK_MONOTONIC: what turns an event's time (bpf_ktime_get_ns) into the time of day.
std::int64_t wall_clock_offset_ns()
{
    timespec real{}, monotonic{};
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &monotonic);
    return (static_cast<std::int64_t>(real.tv_sec) - monotonic.tv_sec) * 1'000'000'000 +
           (static_cast<std::int64_t>(real.tv_nsec) - monotonic.tv_nsec);
}

// A cgroup v2 directory's id, as bpf_get_current_cgroup_id() gives it: the directory's inode.
Expected<std::uint64_t> cgroup_id(const std::string &path)
{
    struct statfs fs {};
    struct stat st {};
    if (statfs(path.c_str(), &fs) != 0 || stat(path.c_str(), &st) != 0)
        return fail(ErrorKind::usage, fmt::format("--cgroup {}: {}", path, errno_text(errno)),
                    "give a cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice");
    if (fs.f_type != CGROUP2_SUPER_MAGIC || !S_ISDIR(st.st_mode))
        return fail(ErrorKind::usage, fmt::format("--cgroup {}: not a cgroup v2 directory", path),
                    "cgroup v2 is where `mount -t cgroup2` shows it: /sys/fs/cgroup, or /sys/fs/cgroup/unified");
    return static_cast<std::uint64_t>(st.st_ino);
}

Expected<ProbeFilter> make_filter(const AttachOptions &options)
{
    ProbeFilter filter;
    filter.tgid = options.pid.value_or(0);
    filter.uid = options.uid;
    if (options.comm.size() >= PCTL_COMM_LEN)
        return fail(
            ErrorKind::usage,
            fmt::format("--comm '{}' is longer than the kernel's {} bytes", options.comm, PCTL_COMM_LEN - 1),
            fmt::format("give its first {} characters, as the kernel stores them", PCTL_COMM_LEN - 1));
    filter.comm = options.comm;
    if (options.pid == 0u)
        return fail(ErrorKind::usage, "--pid 0 matches no process", "give a process id greater than 0");
    if (options.duration_s && *options.duration_s <= 0)
        return fail(ErrorKind::usage, "--duration must be more than 0 seconds", "e.g. --duration 5");
    if (options.count == 0u)
        return fail(ErrorKind::usage, "--count must be at least 1", "e.g. --count 3");
    if (!options.cgroup.empty()) {
        auto id = cgroup_id(options.cgroup);
        if (!id)
            return std::unexpected(id.error());
        filter.cgroup = *id;
    }
    if (options.max_args == 0u)
        return fail(ErrorKind::usage, "--max-args must be at least 1", "e.g. --max-args 4");
    if (options.pid && !options.command.empty())
        return fail(ErrorKind::usage, "--pid and a command after -- both say which processes to see",
                    "give one of them");
    return filter;
}

struct StreamResult {
    std::uint64_t shown = 0;
    // lines the reader of standard output did not take (it closed, or stopped reading after a stop)
    std::uint64_t unwritten = 0;
    std::string ended_by;
};

// Streams until a stop signal, --count, --duration or a closed output; then detaches and drains, so
// that every event the kernel emitted is either shown or counted as unwritten.
// binary: a uprobe's file, watched for deletion or replacement; empty for kernel hooks.
// sites: a hook on many attach points (kprobe.multi) names in each event the one that fired.
Expected<StreamResult> stream_events(BpfProbe &probe, const AttachOptions &options, std::string_view hook,
                                     std::string_view target, const ResolvedTarget &resolved,
                                     std::optional<BinaryWatch> &binary, compare::Workload *command)
{
    StreamResult result;
    LineWriter out(STDOUT_FILENO);
    std::optional<std::uint64_t> first_ktime;
    std::string line;  // each event's, its buffer kept from one to the next
    // a kernel hook's return value is the kernel's (-ENOENT); a uprobe's (its binary watched) libc's
    const TableStyle style{options.wall_clock ? std::optional(wall_clock_offset_ns()) : std::nullopt,
                           options.quote, options.max_args, !binary.has_value()};
    EventStream stream([&](const ExecEvent &event) {
        if (options.failed_only && !(event.retval && *event.retval < 0))
            return true;  // -x: a call that did not fail
        if (command && command->harness_event(event))
            return true;  // the harness that runs the command: its fork, its wait, its end
        if (!first_ktime)
            first_ktime = event.ktime_ns;
        const std::string site = resolved.site_name(event.site);
        const ValueList *values = resolved.values_at(event.site);
        line.clear();
        if (options.json)
            append_event_json(line, event, hook, site.empty() ? target : site, *first_ktime, values);
        else
            line = values ? table_row(event, *first_ktime, *values, site, style)
                          : table_row(event, *first_ktime, site, style);
        if (!out.write(line))
            return false;
        result.shown++;
        return !options.count || result.shown < *options.count;
    });
    if (auto added = stream.add(probe); !added)
        return std::unexpected(added.error());
    if (!options.json)
        out.write(table_header(resolved.generic(), style));
    DropWatch drops({{std::string(hook), &probe}});

    using Clock = std::chrono::steady_clock;
    const auto deadline = options.duration_s
                              ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(*options.duration_s))
                              : Clock::time_point::max();
    while (true) {
        if (int signal = stop_signal()) {
            result.ended_by = stop_signal_name(signal);
            break;
        }
        if (out.closed()) {
            result.ended_by = "standard output closed";
            break;
        }
        if (stream.stopped()) {
            result.ended_by = fmt::format("--count {}", *options.count);
            break;
        }
        if (options.duration_s && Clock::now() >= deadline) {
            result.ended_by = fmt::format("--duration {}", *options.duration_s);
            break;
        }
        if (command && command->finished()) {  // all it did is in the buffers: drained below
            auto ended = command->result();
            result.ended_by = ended ? fmt::format("the command ended, exit status {}", ended->command_status)
                                    : "the command ended";
            break;
        }
        // Woken by events and signals; the wait ends no later than --duration does.
        const auto wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()),
                                     std::chrono::milliseconds(0), std::chrono::milliseconds(100));
        if (auto polled = stream.poll(wait); !polled)
            return std::unexpected(polled.error());
        if (binary)
            if (auto what = binary->changed())
                spdlog::warn("{}", *what);
    }
    drops.stop();
    // Detach first, then show what the kernel already wrote: nothing is emitted after the drain,
    // so shown + unwritten + (past --count) equals what the kernel counted as emitted.
    probe.detach();
    if (!stream.stopped())
        if (auto drained = stream.drain(); !drained)
            return std::unexpected(drained.error());
    result.unwritten = out.unwritten();
    return result;
}

// A generic capture applies the user's --arg overrides and says in one line what it decodes;
// --arg on an exec attach point (whose object reads filename and argv) is refused.
Expected<void> decoding(const HookInfo &hook, const AttachOptions &options, ResolvedTarget &resolved)
{
    if (!resolved.values && !options.args.empty())
        return fail(
            ErrorKind::usage,
            resolved.site_values.empty()
                ? fmt::format("--arg applies to a generic capture, and {} at {} decodes the exec itself "
                              "(filename, argv)",
                              hook.name, resolved.describe())
                : fmt::format("--arg applies to one argument list, and {} reads each function's own", hook.name),
            resolved.site_values.empty() ? "drop --arg, or name an attach point off the exec path"
                                         : "attach --type kprobe to the one function");
    if (!resolved.values)
        return {};
    for (const auto &override_text : options.args)
        if (auto applied = apply_value_override(*resolved.values, override_text); !applied)
            return applied;
    return {};
}

// Once attached, before the first event: what each event will show, and from which description.
void say_what_is_decoded(const ResolvedTarget &resolved)
{
    if (!resolved.site_values.empty()) {  // kprobe.multi: each function's own prototype
        constexpr size_t kShown = 3;
        std::vector<std::string> each;
        for (size_t i = 0; i < resolved.site_values.size() && i < kShown; i++)
            each.push_back(fmt::format("{}({})", resolved.sites[i].name, resolved.site_values[i].summary()));
        spdlog::info("decoding each function's own arguments: {}{}", fmt::join(each, "; "),
                     resolved.sites.size() > kShown ? fmt::format("; and {} more (probectl targets -v lists them)",
                                                                  resolved.sites.size() - kShown)
                                                    : "");
        return;
    }
    if (!resolved.values)
        return;
    spdlog::info("decoding {}: {}", resolved.values->source, resolved.values->summary());
    if (!resolved.values->unread.empty())
        spdlog::info("not decoded: {}", fmt::join(resolved.values->unread, "; "));
}

double peak_rss_mib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int report_error(const Error &error)
{
    std::fputs(fmt::format("probectl: error: {}\n", error.one_line()).c_str(), stderr);
    return exit_code(error);
}

int run_attach(const AttachOptions &options)
{
    auto strategy = Registry::instance().lookup(options.type);
    if (!strategy)
        return report_error(strategy.error());
    auto target = parse_target(options.target);
    if (!target)
        return report_error(target.error());
    auto filter = make_filter(options);
    if (!filter)
        return report_error(filter.error());
    if (auto privileged = require_bpf_privileges(); !privileged)
        return report_error(privileged.error());

    const HookInfo &hook = (*strategy)->info();
    auto resolved = (*strategy)->resolve(*target, ResolveOptions{options.strict});
    if (!resolved)
        return report_error(resolved.error());
    if (!resolved->note.empty())
        spdlog::info("{}", resolved->note);
    // After the exec the task bears the new program's name: --comm bash sees execs of bash, not by it
    if (!options.comm.empty() && hook.phase == ExecPhase::after_exec && target->kind == Target::Kind::exec_event)
        spdlog::info("{} runs after the exec, when the task bears the new program's name: --comm {} matches "
                     "execs of {}, not execs made by it (a hook that runs before the exec sees those)",
                     hook.name, options.comm, options.comm);
    if (auto decoded = decoding(hook, options, *resolved); !decoded)
        return report_error(decoded.error());
    if (options.failed_only && !hook.return_value)
        return report_error(
            Error{ErrorKind::usage,
                  fmt::format("-x shows the calls that failed, and {} does not see the return value", hook.name),
                  "use a hook that does: kretprobe, fexit or uretprobe (probectl list: RET)"});
    // A command of the user's: forked now, so that it holds no BPF descriptor, and released once attached.
    std::unique_ptr<compare::Workload> command;
    if (!options.command.empty()) {
        auto forked = compare::Workload::command(options.command);
        if (!forked)
            return report_error(forked.error());
        command = std::move(*forked);
        filter->ancestor = static_cast<std::uint32_t>(command->root());
    }

    // The uprobe's file is noted before attaching: a replacement right after "attached" is seen.
    std::optional<BinaryWatch> binary;
    if (hook.target_kind == TargetKind::user_function || hook.target_kind == TargetKind::user_functions)
        binary.emplace(resolved->attach_point);

    install_stop_handlers();
    auto probe = attach_or_explain(**strategy, *resolved, *filter);
    if (!probe)
        return report_error(probe.error());
    const std::string where = resolved->describe();
    const auto program_id = (*probe)->program_id();
    const auto link_id = (*probe)->link_id();
    spdlog::info("attached {} to {} (program {}{}; {}); Ctrl-C to stop", hook.name, where,
                 (*probe)->program_name(), program_id ? fmt::format(", id {}", *program_id) : "",
                 link_id ? fmt::format("link id {}", *link_id) : "through a perf event, no BPF link");
    say_what_is_decoded(*resolved);

    if (command)
        if (auto released = command->release(); !released)
            return report_error(released.error());
    auto streamed = stream_events(**probe, options, hook.name, where, *resolved, binary, command.get());
    if (command)
        command->stop();  // Ctrl-C, --count or --duration before it ended: it ends with probectl
    auto counters = (*probe)->counters();
    const std::uint32_t ring_bytes = bpf_map__max_entries((*probe)->events_map());
    probe->reset();  // unload before the summary
    if (!streamed)
        return report_error(streamed.error());

    const std::string kernel_side =
        !counters ? fmt::format("kernel counters unreadable: {}", counters.error().message)
        : counters->dropped > 0
            ? fmt::format("the kernel program emitted {} and dropped {} (its ring buffer was full)",
                          counters->emitted, counters->dropped)
            : fmt::format("the kernel program emitted {} and dropped none", counters->emitted);
    spdlog::info("detached {} from {} ({}): {} shown; {}; peak RSS {:.1f} MiB", hook.name, where,
                 streamed->ended_by, counted(streamed->shown, "event"), kernel_side, peak_rss_mib());
    if (options.json)  // the summary for a program too, one JSON object on stderr: stdout is the events'
        std::fputs((json_line(nlohmann::json{
                        {"summary", "detached"},
                        {"hook", hook.name},
                        {"target", where},
                        {"ended_by", streamed->ended_by},
                        {"shown", streamed->shown},
                        {"unwritten", streamed->unwritten},
                        {"emitted", counters ? nlohmann::json(counters->emitted) : nlohmann::json()},
                        {"dropped", counters ? nlohmann::json(counters->dropped) : nlohmann::json()},
                        {"program_id", program_id ? nlohmann::json(*program_id) : nlohmann::json()},
                        {"link_id", link_id ? nlohmann::json(*link_id) : nlohmann::json()},
                        {"peak_rss_mib", peak_rss_mib()},
                    }) +
                    "\n")
                       .c_str(),
                   stderr);
    if (streamed->unwritten > 0)
        spdlog::warn("{} events were not written: standard output was closed or its reader stopped reading",
                     streamed->unwritten);
    if (counters && counters->dropped > 0)
        spdlog::warn("LOST {} of {} events: the {} KiB ring buffer was full because probectl read slower than the "
                     "kernel wrote; narrow the filter (--pid, --comm, --uid) or send the output to a file",
                     counters->dropped, counters->emitted + counters->dropped, ring_bytes / 1024);
    return 0;
}

}  // namespace probectl
