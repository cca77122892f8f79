#include "bench/exec_storm.h"

#include "attach/support.h"
#include "bench/cpu_pin.h"
#include "bench/hook_targets.h"
#include "loader/event_stream.h"
#include "loader/own_files.h"
#include "loader/stop_signal.h"

#include <fmt/format.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>

namespace probectl::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct StormRun {
    std::uint64_t execs = 0;
    double seconds = 0;
    std::string error;
};

// posix_spawn is glibc's vfork + exec (clone with CLONE_VM | CLONE_VFORK): the parent's memory is
// not copied, so the storm measures the exec path, not fork's page tables.
StormRun storm(const std::string &helper, double seconds)
{
    StormRun run;
    char *argv[] = {const_cast<char *>(helper.c_str()), nullptr};
    char *envp[] = {nullptr};
    const auto start = Clock::now();
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    auto now = start;
    do {
        pid_t child = 0;
        if (int err = posix_spawn(&child, helper.c_str(), nullptr, nullptr, argv, envp); err != 0) {
            run.error = fmt::format("cannot exec {}: {}", helper, errno_text(err));
            break;
        }
        int status = 0;
        if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (stop_signal())  // Ctrl-C reaches the helper too: the storm ends, it did not fail
                break;
            run.error = fmt::format("{} did not exit with status 0 (wait status {:#x})", helper, status);
            break;
        }
        run.execs++;
        now = Clock::now();
    } while (now < deadline);
    run.seconds = std::chrono::duration<double>(now - start).count();
    return run;
}

double ns_per_exec(const StormRun &run)
{
    return run.execs ? run.seconds * 1e9 / double(run.execs) : 0;
}

// Reads the ring buffers on a thread of its own while the storm runs, then drains them.
class Consumer {
public:
    Consumer()
        : stream_([this](const ExecEvent &event) {
              counts_[event.hook]++;
              return true;
          })
    {
    }
    Expected<void> add(const BpfProbe &probe) { return stream_.add(probe); }
    void start()
    {
        thread_ = std::thread([this] {
            while (!stop_.load())
                if (auto polled = stream_.poll(std::chrono::milliseconds(10)); !polled)
                    break;
        });
    }
    // Stops the thread and reads what is left; the counts per hook id.
    std::map<std::uint32_t, std::uint64_t> finish()
    {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
        (void)stream_.drain();
        return counts_;
    }
    ~Consumer() { finish(); }

private:
    std::map<std::uint32_t, std::uint64_t> counts_;
    EventStream stream_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// The helper, copied into a private folder of /tmp for the storm: where probectl's build lives may
// be a network or 9p file system (as in scripts/vm), which an exec would measure instead of the
// kernel's exec path. Falls back to the helper where it is when /tmp cannot hold or run it.
class StagedHelper {
public:
    explicit StagedHelper(const std::string &helper) : path_(helper)
    {
        namespace fs = std::filesystem;
        char folder[] = "/tmp/probectl-bench-XXXXXX";
        if (!mkdtemp(folder))
            return;
        folder_ = folder;
        const fs::path copy = fs::path(folder_) / "exec-helper";
        std::error_code ec;
        fs::copy_file(helper, copy, ec);
        if (!ec && storm(copy.string(), 0).error.empty())
            path_ = copy.string();
    }
    ~StagedHelper()
    {
        std::error_code ec;
        if (!folder_.empty())
            std::filesystem::remove_all(folder_, ec);
    }
    StagedHelper(const StagedHelper &) = delete;
    StagedHelper &operator=(const StagedHelper &) = delete;
    [[nodiscard]] const std::string &path() const { return path_; }

private:
    std::string path_;
    std::string folder_;
};

struct StormHook {
    const AttachStrategy *strategy;
    ResolvedTarget target;
    ExecHook *result;
};

ProbeFilter children_of_this_process()
{
    ProbeFilter filter;
    filter.ancestor = static_cast<std::uint32_t>(getpid());
    return filter;
}

Expected<void> sample_hook(StormHook &r, const std::string &helper, double seconds)
{
    const StormRun baseline = storm(helper, seconds);
    if (!baseline.error.empty())
        return fail(ErrorKind::workload, baseline.error, "check that the helper runs: " + helper);
    auto probe = attach_or_explain(*r.strategy, r.target, children_of_this_process());
    if (!probe) {
        r.result->not_measured = probe.error().one_line();
        return {};
    }
    Consumer consumer;
    if (auto added = consumer.add(**probe); !added)
        return std::unexpected(added.error());
    consumer.start();
    const StormRun run = storm(helper, seconds);
    auto counts = consumer.finish();
    if (!run.error.empty())
        return fail(ErrorKind::workload, run.error, "check that the helper runs: " + helper);
    if (auto counters = (*probe)->counters()) {
        r.result->emitted += counters->emitted;
        r.result->dropped += counters->dropped;
    }
    r.result->ns_per_exec.push_back(ns_per_exec(run));
    r.result->added_ns.push_back(ns_per_exec(run) - ns_per_exec(baseline));
    r.result->execs += run.execs;
    r.result->events += counts[r.strategy->info().id];
    return {};
}

Expected<ExecFlood> flood(std::vector<StormHook> &ready, const std::string &helper, double seconds)
{
    ExecFlood result;
    result.workers = std::max(1u, std::thread::hardware_concurrency());
    result.seconds = seconds;
    result.ring_bytes = 1u << 20;
    std::vector<std::unique_ptr<BpfProbe>> probes;
    Consumer consumer;
    unsigned expected_per_exec = 0;
    for (auto &r : ready) {
        if (!r.result->not_measured.empty())
            continue;
        auto probe = attach_or_explain(*r.strategy, r.target, children_of_this_process());
        if (!probe)
            continue;
        if (auto added = consumer.add(**probe); !added)
            return std::unexpected(added.error());
        probes.push_back(std::move(*probe));
        result.hooks.push_back(r.result->hook);
        expected_per_exec += r.result->expected_per_exec;
    }
    consumer.start();
    std::vector<StormRun> runs(result.workers);
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < result.workers; i++)
        workers.emplace_back([&, i] { runs[i] = storm(helper, seconds); });
    for (auto &w : workers)
        w.join();
    for (const auto &[hook, count] : consumer.finish())
        result.events += count;
    for (const auto &run : runs) {
        if (!run.error.empty())
            return fail(ErrorKind::workload, run.error, "check that the helper runs: " + helper);
        result.execs += run.execs;
    }
    for (const auto &probe : probes)
        if (auto counters = probe->counters())
            result.dropped += counters->dropped;
    result.expected_events = result.execs * expected_per_exec;
    return result;
}

}  // namespace

Expected<std::string> find_exec_helper()
{
    if (const char *path = std::getenv("PROBECTL_EXEC_HELPER"); path && *path)
        return std::string(path);
    const auto helper = own_helper("probectl-exec-helper");
    if (access(helper.c_str(), X_OK) != 0)
        return fail(
            ErrorKind::bad_file, fmt::format("the exec storm's helper {} is missing", helper.string()),
            "build it (bash scripts/build.sh), reinstall probectl, or set PROBECTL_EXEC_HELPER to a static binary "
            "that exits 0");
    return helper.string();
}

Expected<ExecTier> run_exec(const ExecOptions &options)
{
    ExecTier tier;
    tier.samples = options.samples;
    tier.sample_seconds = options.sample_seconds;
    if (options.helper.empty()) {
        auto helper = find_exec_helper();
        if (!helper)
            return std::unexpected(helper.error());
        tier.helper = *helper;
    } else {
        tier.helper = options.helper;
    }

    auto targets = hook_targets(options.hooks, true);
    if (!targets)
        return std::unexpected(targets.error());
    std::vector<StormHook> ready;
    tier.hooks.reserve(targets->size());
    for (const auto &t : *targets) {
        ExecHook &hook = tier.hooks.emplace_back();
        hook.hook = t.name;
        hook.not_measured = t.not_measured;
        const HookInfo &info = t.strategy->info();
        // A return probe on libc's execve fires only when execve returns, i.e. fails; a hook on the
        // exec path's functions once at each (the storm execs a static ELF binary: no interpreter);
        // one on libc's exec wrappers at posix_spawn, which the storm calls, and at execve, which
        // posix_spawn's child calls.
        if (info.phase == ExecPhase::on_return && info.target_kind == TargetKind::user_function)
            hook.expected_per_exec = 0;
        else if (t.exec && info.target_kind == TargetKind::kernel_functions)
            hook.expected_per_exec = static_cast<unsigned>(t.exec->sites.size());
        else if (t.exec && info.target_kind == TargetKind::user_functions)
            hook.expected_per_exec =
                static_cast<unsigned>(std::ranges::count_if(t.exec->sites, [](const Site &site) {
                    return site.name == "posix_spawn" || site.name == "execve";
                }));
        else
            hook.expected_per_exec = 1;
        if (t.exec) {
            hook.attach_point = t.exec->describe();
            ready.push_back({t.strategy, *t.exec, &hook});
        }
    }

    const StagedHelper staged(tier.helper);
    {
        const CpuPin pin;  // the storm on one CPU; the consumer thread is free to use the others
        for (int round = 0; round < options.samples && !stop_signal(); round++)
            for (auto &r : ready) {
                if (!r.result->not_measured.empty())
                    continue;
                const auto before = r.result->ns_per_exec.size();
                if (auto sampled = sample_hook(r, staged.path(), options.sample_seconds); !sampled)
                    return std::unexpected(sampled.error());
                if (r.result->ns_per_exec.size() > before)
                    tier.baseline_ns_per_exec.push_back(r.result->ns_per_exec.back() - r.result->added_ns.back());
            }
    }
    if (options.flood_seconds > 0 && !ready.empty() && !stop_signal()) {
        auto flooded = flood(ready, staged.path(), options.flood_seconds);
        if (!flooded)
            return std::unexpected(flooded.error());
        tier.flood = *flooded;
    }
    return tier;
}

}  // namespace probectl::bench
