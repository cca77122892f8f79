// probectl compare: every hook type on the same event at once (execve, a syscall, a declared event).
// The workload is forked first (so it holds no BPF descriptor), the hooks are attached filtered to
// its process tree, it is released, and everything the hooks saw is correlated to its occurrences
// and reported (compare/).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <set>
#include <span>
#include <thread>

#include "attach/event_catalogue.h"
#include "attach/registry.h"
#include "attach/support.h"
#include "attach/syscall_event.h"
#include "attach/target.h"
#include "bench/environment.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "compare/render.h"
#include "compare/workload.h"
#include "loader/btf_query.h"
#include "loader/concurrent.h"
#include "loader/drop_watch.h"
#include "loader/event_format.h"
#include "loader/event_stream.h"
#include "loader/kernel_btf.h"
#include "loader/kernel_facts.h"
#include "loader/spelling.h"
#include "loader/stop_signal.h"
#include "loader/syscall_numbers.h"
#include "loader/text.h"
#include "probes/event.h"

namespace probectl {
namespace {

using compare::HookRun;
using compare::Recording;

Expected<std::vector<const AttachStrategy *>> pick_hooks(const std::string &types)
{
    std::vector<const AttachStrategy *> hooks;
    if (types.empty()) {
        for (const auto &strategy : Registry::instance().all())
            hooks.push_back(strategy.get());
        return hooks;
    }
    for (const auto &name : split(types, ',')) {
        auto strategy = Registry::instance().lookup(name);
        if (!strategy)
            return std::unexpected(strategy.error());
        if (std::find(hooks.begin(), hooks.end(), *strategy) == hooks.end())
            hooks.push_back(*strategy);
    }
    return hooks;
}

// Where a hook's filename and argv come from at this attach point, in words.
std::pair<std::string, std::string> field_sources(const HookInfo &hook, std::uint32_t layout)
{
    if (!hook.entry_args)
        return {};
    switch (layout) {
    case PCTL_LAYOUT_UPATH0_UARGV1:
    case PCTL_LAYOUT_UPATH1_UARGV2:
        return {"user pointer (syscall argument)", "user argv array (caller's memory)"};
    case PCTL_LAYOUT_KFILENAME0_UARGV1: return {"struct filename (kernel)", "user argv array (caller's memory)"};
    case PCTL_LAYOUT_BPRM0: return {"linux_binprm->filename (kernel)", ""};
    case PCTL_LAYOUT_SCHED_EXEC: return {"linux_binprm->filename (kernel)", "new image's mm->arg_start..arg_end"};
    default: return {};
    }
}

// The exec system call an entry hook is specific to; empty for hooks on the common exec path.
std::string entry_call(const HookInfo &hook, const ResolvedTarget &target)
{
    switch (hook.target_kind) {
    case TargetKind::syscall: return target.attach_point;
    case TargetKind::user_function: return target.symbol;
    case TargetKind::user_functions: {
        // libc's wrappers all end in one system call: name it when every site's does.
        std::string call = target.sites.empty() ? "" : target.sites.front().exec_call;
        for (const auto &site : target.sites)
            if (site.exec_call != call)
                return "";
        return call;
    }
    case TargetKind::tracepoint: {
        const auto pos = target.attach_point.find(":sys_enter_");
        return pos == std::string::npos ? "" : target.attach_point.substr(pos + 11);
    }
    default: return "";
    }
}

struct Participant {
    const AttachStrategy *strategy = nullptr;
    HookRun run;
    std::optional<ResolvedTarget> target;  // set when the hook type works here and resolved
    std::unique_ptr<BpfProbe> probe;
    ErrorKind refused = ErrorKind::unsupported;  // not attached: the kind of its reason
};

// The event compare takes: execve, a syscall of this kernel, or a catalogued event; a one-line error
// with the nearest names otherwise.
Expected<Target> compared_event(const std::string &name)
{
    if (name == "execve" || find_catalogue_event(name) ||
        find_syscall_event(name, live_kernel_symbols()).has_value())
        if (auto target = parse_target(name))
            return *target;
    NearestNames nearest(name);
    for (int number = 0; number < 1024; number++)
        if (auto syscall = syscall_name(number))
            nearest.offer(*syscall);
    for (const auto &event : event_catalogue())
        nearest.offer(event.name);
    return fail(ErrorKind::usage,
                fmt::format("--event: '{}' is neither a syscall of this kernel nor an event "
                            "probectl declares",
                            name),
                fmt::format("{}probectl explain NAME says what a name is; docs/events.md lists the events",
                            did_you_mean(nearest.best())));
}

// Why a hook takes no part, in words: the hook type does not work here (its trial says why), or it
// does and this failure is the attach point's. The trial runs only then: a hook that attaches has
// proved it works, and under emulation each trial costs a load and an attach.
// support: the hook type's trial (attach/support.h), run in the caller's thread if not yet run.
void why_not_attached(Participant &p, const Error &failure, const Support &support)
{
    p.refused = support.supported ? failure.kind : ErrorKind::unsupported;
    p.run.not_attached = support.supported ? failure.one_line()
                                           : fmt::format("{}: {}", unsupported_verdict(support), support.reason);
}

Participant prepare(const AttachStrategy &strategy, const Target &event)
{
    const HookInfo &info = strategy.info();
    const bool execve = event.kind == Target::Kind::exec_event;
    Participant p;
    p.strategy = &strategy;
    p.run.id = info.id;
    p.run.name = std::string(info.name);
    // Another event has no exec to come before or after: its hooks see it on entry, or on return.
    p.run.phase = execve ? info.phase : info.return_value ? ExecPhase::on_return : ExecPhase::before_exec;
    p.run.kind = info.target_kind;
    auto resolved = strategy.resolve(event, ResolveOptions{});
    if (!resolved) {
        why_not_attached(p, resolved.error(), hook_support(strategy));
        return p;
    }
    p.target = *resolved;
    p.run.attach_point = resolved->describe();
    p.run.note = resolved->note;
    p.run.entry_call = entry_call(info, *resolved);
    // A hook on many functions reads each as its own layout says: name the first that reads anything.
    std::uint32_t layout = resolved->layout.layout;
    for (const auto &site : resolved->sites)
        if (layout == 0)
            layout = site.layout;
    std::tie(p.run.filename_from, p.run.argv_from) = field_sources(info, layout);
    if (resolved->values)
        p.run.values = *resolved->values;
    else if (!resolved->site_values.empty())  // kprobe.multi at a syscall's wrapper: its one site's
        p.run.values = resolved->site_values.front();
    return p;
}

struct Captured {
    std::vector<ExecEvent> events;
    std::string ended_by;
};

// Each hook type resolved at the event and attached, its participant in the order of strategies.
Expected<Captured> capture(std::span<const AttachStrategy *const> strategies, const Target &compared,
                           std::vector<Participant> &participants, compare::Workload &workload)
{
    ProbeFilter filter;
    filter.ancestor = static_cast<std::uint32_t>(workload.root());
    Captured captured;
    EventStream stream([&](const ExecEvent &event) {
        if (!workload.harness_event(event))  // process-fork would see it fork each scenario's child
            captured.events.push_back(event);
        return true;
    });
    // Resolved, opened, loaded and attached several at once: libbpf parses the kernel's BTF for each
    // object and searches it for every CO-RE relocation, which keeps a core busy, and attaching waits
    // on the kernel. A hook that fails has its trial run in the same worker, beside the others'
    // loads, or, when it failed at the exec attach point where the trial would try and for a cause of
    // the kernel's, answered by that failure. The workload is still held, so nothing happens before
    // every hook is in place.
    // A kernel function is resolved against kallsyms and the kernel's BTF, read meanwhile on threads
    // of their own (some 250 and 70 ms here); those hook types are taken last, the others load first.
    auto by_symbols = [&](std::size_t i) {
        const TargetKind kind = strategies[i]->info().target_kind;
        return kind == TargetKind::kernel_function || kind == TargetKind::kernel_functions ||
               kind == TargetKind::syscall;
    };
    std::vector<std::size_t> order(strategies.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::ranges::stable_partition(order, [&](std::size_t i) { return !by_symbols(i); });
    std::vector<std::jthread> reading;
    const KernelSymbols &symbols = live_kernel_symbols();
    if (std::ranges::any_of(order, by_symbols))
        reading.emplace_back([&symbols] { symbols.load_kallsyms(); });
    // The kernel's BTF parsed once, meanwhile, for every object's CO-RE (loader/kernel_btf.h).
    auto kernel_btf = hold_kernel_btf();
    if (std::ranges::any_of(order, by_symbols))
        reading.emplace_back([&symbols] { symbols.load_btf(); });
    participants = std::vector<Participant>(strategies.size());
    std::vector<std::optional<Expected<std::unique_ptr<BpfProbe>>>> probes(strategies.size());
    for_each_at_once(order.size(), kTrialWorkers, [&](std::size_t k) {
        const std::size_t i = order[k];
        Participant &p = participants[i] = prepare(*strategies[i], compared);
        if (!p.target)
            return;
        auto &probe = probes[i].emplace(p.strategy->attach(*p.target, filter));
        if (!probe)
            why_not_attached(p, probe.error(),
                             compared.kind == Target::Kind::exec_event
                                 ? hook_support_after(*p.strategy, probe.error())
                                 : hook_support(*p.strategy));
    });
    kernel_btf.reset();  // every object is loaded: not kept while the workload runs
    for (std::size_t i = 0; i < participants.size(); i++) {
        Participant &p = participants[i];
        if (!probes[i] || !*probes[i])
            continue;
        auto &probe = *probes[i];
        if (auto added = stream.add(**probe); !added)
            return std::unexpected(added.error());
        p.probe = std::move(*probe);
        p.run.attached = true;
        spdlog::debug("attached {} to {}", p.run.name, p.run.attach_point);
    }
    // Nothing to compare with: refused before the workload runs, as attach refuses one hook type.
    if (std::ranges::none_of(participants, [](const Participant &p) { return p.probe != nullptr; })) {
        std::vector<std::string> why;
        for (const auto &p : participants)
            why.push_back(fmt::format("{} ({})", p.run.name, p.run.not_attached));
        const bool one_kind = std::ranges::all_of(
            participants, [&](const Participant &p) { return p.refused == participants.front().refused; });
        return fail(one_kind ? participants.front().refused : ErrorKind::unsupported,
                    fmt::format("no hook type asked for can take part: {}", fmt::join(why, "; ")),
                    "probectl list shows the hook types that work here; --types picks others");
    }
    std::vector<DropWatch::Watched> watched;
    for (const auto &p : participants)
        if (p.probe)
            watched.push_back({p.run.name, p.probe.get()});
    DropWatch drops(std::move(watched));
    if (auto released = workload.release(); !released)
        return std::unexpected(released.error());
    while (!workload.finished()) {
        if (int signal = stop_signal()) {
            captured.ended_by = stop_signal_name(signal);
            workload.stop();
            break;
        }
        if (auto polled = stream.poll(std::chrono::milliseconds(50), workload.end_fd()); !polled)
            return std::unexpected(polled.error());
    }
    drops.stop();
    // Every program ran in the workload's own context: once it has ended, all is in the buffers.
    if (auto drained = stream.drain(); !drained)
        return std::unexpected(drained.error());
    if (stream.undecodable())
        spdlog::warn("{} ring-buffer records could not be decoded", stream.undecodable());
    return captured;
}

void read_costs(Participant &p)
{
    if (!p.probe)
        return;
    if (auto counters = p.probe->counters()) {
        p.run.emitted = counters->emitted;
        p.run.dropped = counters->dropped;
    }
    if (auto stats = p.probe->program_stats()) {
        p.run.run_count = stats->run_count;
        p.run.run_time_ns = stats->run_time_ns;
        p.run.recursion_misses = stats->recursion_misses;
    }
}

// What a merge of kernels needs of this one (probectl report): the config options that decide the
// hook types, and the prototype of each kernel function a hook resolved to, as this kernel's BTF has it.
compare::KernelFacts kernel_facts(const std::vector<Participant> &participants)
{
    compare::KernelFacts facts;
    facts.config_source = kernel_config_source().value_or("");
    for (const std::string_view option : hook_config_options())
        if (auto value = kernel_config_option(option))
            facts.config[std::string(option)] = *value;
    facts.btf = std::filesystem::exists("/sys/kernel/btf/vmlinux");
    std::set<std::string> functions;
    for (const auto &p : participants) {
        if (!p.target)
            continue;
        if (p.run.kind == TargetKind::kernel_function)
            functions.insert(p.target->attach_point);
        else if (p.run.kind == TargetKind::kernel_functions)
            for (const auto &site : p.target->sites)
                functions.insert(site.name);
    }
    if (functions.empty())
        return facts;
    const auto btf = BtfFile::kernel();
    if (!btf)  // none at all: "btf" says so, and no function is said to be missing from it
        return facts;
    for (const auto &function : functions) {
        std::string &prototype = facts.prototypes[function];
        if (auto found = btf->describe(function); found && found->kind == "func")
            prototype = trim(found->c.substr(0, found->c.find(';')));
    }
    return facts;
}

Expected<Recording> record_live(const CompareOptions &options)
{
    auto strategies = pick_hooks(options.types);
    if (!strategies)
        return std::unexpected(strategies.error());
    auto event = compared_event(options.event);
    if (!event)
        return std::unexpected(event.error());
    std::vector<int> numbers;
    if (options.command.empty()) {
        auto parsed = compare::parse_scenarios(options.event, options.scenarios);
        if (!parsed)
            return std::unexpected(parsed.error());
        numbers = std::move(*parsed);
    }
    if (auto privileged = require_bpf_privileges(); !privileged)
        return std::unexpected(privileged.error());
    auto workload = options.command.empty() ? compare::Workload::builtin(options.event, numbers)
                                            : compare::Workload::command(options.command);
    if (!workload)
        return std::unexpected(workload.error());

    std::vector<Participant> participants;
    install_stop_handlers();
    const RunTimeStats stats;  // run counts and times, for as long as the comparison runs
    if (!stats.enabled())
        spdlog::info("the kernel's run-time statistics are not available ({}): no ns/run figures",
                     errno_text(stats.error()));
    auto captured = capture(*strategies, *event, participants, **workload);
    for (auto &p : participants)
        read_costs(p);
    // Detached and unloaded all at once: a perf-event link's detach waits for the kernel to quiesce
    // (70-120 ms each), and those waits overlap.
    for_each_at_once(participants.size(), participants.size(),
                     [&](std::size_t i) { participants[i].probe.reset(); });
    if (!captured)
        return std::unexpected(captured.error());

    Recording recording;
    recording.kernel = kernel_release();
    recording.probectl_version = PROBECTL_VERSION;
    recording.emulated = bench::read_environment().emulated;
    if (!options.record_file.empty())  // the report of this run shows none of them
        recording.facts = kernel_facts(participants);
    recording.event = options.event;
    recording.workload = (*workload)->description();
    recording.execs_known = options.command.empty();
    recording.events = std::move(captured->events);
    for (auto &p : participants)
        recording.hooks.push_back(std::move(p.run));
    if (!captured->ended_by.empty()) {
        spdlog::info("stopped by {}: the report covers what was captured until then", captured->ended_by);
        recording.workload += fmt::format(" (stopped by {})", captured->ended_by);
        return recording;
    }
    auto result = (*workload)->result();
    if (!result)
        return std::unexpected(result.error());
    for (const auto &note : result->notes)
        spdlog::warn("{}", note);
    if (!options.command.empty())
        recording.workload += fmt::format(", exit status {}", result->command_status);
    recording.execs = std::move(result->execs);
    return recording;
}

}  // namespace

int run_compare(const CompareOptions &options)
{
    for (const auto &[path, option] :
         {std::pair{options.markdown_file, "--markdown"}, std::pair{options.html_file, "--html"},
          std::pair{options.record_file, "--record"}})
        if (auto ok = check_output_file(path, option); !ok)
            return report_error(ok.error());
    if (!options.replay_file.empty() &&
        (!options.command.empty() || !options.types.empty() || options.event != "execve"))
        return report_error(Error{ErrorKind::usage,
                                  "--replay re-reports a recording: it takes no --types, --event or command",
                                  "drop them, or record a new comparison"});

    auto recording =
        options.replay_file.empty() ? record_live(options) : compare::read_recording(options.replay_file);
    if (!recording)
        return report_error(recording.error());
    if (!options.record_file.empty())
        if (auto written = compare::write_recording(options.record_file, *recording); !written)
            return report_error(written.error());

    const compare::Report report = compare::build_report(*recording);
    if (options.json)
        std::fputs((json_line(compare::report_to_json(report)) + "\n").c_str(), stdout);
    else
        std::fputs(compare::render_text(report, {isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR")}).c_str(),
                   stdout);
    std::fflush(stdout);
    if (!options.markdown_file.empty())
        if (auto written = write_file(options.markdown_file, compare::render_markdown(report)); !written)
            return report_error(written.error());
    if (!options.html_file.empty())
        if (auto written = write_file(options.html_file, compare::render_html(report)); !written)
            return report_error(written.error());

    size_t attached = 0, dropped = 0;
    for (const auto &hook : recording->hooks) {
        attached += hook.attached;
        dropped += hook.dropped;
    }
    const std::string_view noun = compare::occurrence_noun(recording->event);
    spdlog::info("compared {} hook types on {} {}s of {}: {} events, {} dropped, {} matching none, {} absences "
                 "without a cause; {}",
                 attached, report.execs.size(), noun, recording->event, recording->events.size(), dropped,
                 report.unexplained.size(), report.unknown_causes,
                 options.replay_file.empty() ? "all detached" : "replayed from " + options.replay_file);
    if (dropped)
        spdlog::warn("{} events were lost because a ring buffer was full", dropped);
    return 0;
}

}  // namespace probectl
