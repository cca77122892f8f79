// probectl bench: what each hook costs, side by side (bench/). Tiers: micro (per event), exec (per
// exec), startup (open, load, attach, detach), pipeline (probectl's userspace per event).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "attach/registry.h"
#include "bench/environment.h"
#include "bench/exec_storm.h"
#include "bench/micro.h"
#include "bench/pipeline.h"
#include "bench/report.h"
#include "bench/startup.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "loader/event_format.h"
#include "loader/kernel_facts.h"
#include "loader/stop_signal.h"
#include "loader/text.h"

namespace probectl {
namespace {

// startup first: it measures a process that has not yet read the kernel's symbols.
constexpr std::string_view kTiers[] = {"startup", "micro", "exec", "pipeline"};

Expected<std::vector<std::string>> pick_tiers(const std::string &tiers)
{
    if (tiers.empty())
        return std::vector<std::string>(std::begin(kTiers), std::end(kTiers));
    std::vector<std::string> picked;
    for (const auto &name : split(tiers, ',')) {
        if (std::ranges::find(kTiers, name) == std::end(kTiers))
            return fail(ErrorKind::usage, fmt::format("--tier {}: no such tier", name),
                        "pick from startup, micro, exec, pipeline (comma-separated)");
        if (std::ranges::find(picked, name) == picked.end())
            picked.push_back(name);
    }
    return picked;
}

Expected<std::vector<std::string>> pick_types(const std::string &types)
{
    std::vector<std::string> picked;
    if (types.empty()) {
        for (const auto &strategy : Registry::instance().all())
            picked.emplace_back(strategy->info().name);
        return picked;
    }
    for (const auto &name : split(types, ',')) {
        auto strategy = Registry::instance().lookup(name);
        if (!strategy)
            return std::unexpected(strategy.error());
        std::string canonical((*strategy)->info().name);
        if (std::ranges::find(picked, canonical) == picked.end())
            picked.push_back(canonical);
    }
    return picked;
}

Expected<void> run_tier(const std::string &tier, const BenchOptions &options,
                        const std::vector<std::string> &types, bench::Results &results)
{
    const bool quick = options.quick;
    auto samples = [&](int normal, int short_run) { return options.samples.value_or(quick ? short_run : normal); };
    spdlog::info("bench: {} tier{}", tier, quick ? " (quick)" : "");
    if (tier == "micro") {
        bench::MicroOptions micro{types, samples(5, 2), quick ? 0.05 : 0.2, quick ? 0.01 : 0.05};
        auto measured = bench::run_micro(micro);
        if (!measured)
            return std::unexpected(measured.error());
        results.micro = std::move(*measured);
    } else if (tier == "exec") {
        bench::ExecOptions exec{types, samples(3, 2), quick ? 0.1 : 0.3, quick ? 0.3 : 1.0, ""};
        auto measured = bench::run_exec(exec);
        if (!measured)
            return std::unexpected(measured.error());
        results.exec = std::move(*measured);
    } else if (tier == "startup") {
        // a quick run starts each program once, and not bpftrace (seconds under emulation)
        auto measured = bench::run_startup({types, samples(5, 2), samples(5, 1), !quick});
        if (!measured)
            return std::unexpected(measured.error());
        results.startup = std::move(*measured);
    } else {
        auto measured = bench::run_pipeline({samples(5, 2), quick ? 8u << 20 : 64u << 20});
        if (!measured)
            return std::unexpected(measured.error());
        results.pipeline = std::move(*measured);
    }
    return {};
}

}  // namespace

std::vector<std::string> bench_tiers()
{
    return {std::begin(kTiers), std::end(kTiers)};
}

int run_bench(const BenchOptions &options)
{
    auto tiers = pick_tiers(options.tiers);
    if (!tiers)
        return report_error(tiers.error());
    auto types = pick_types(options.types);
    if (!types)
        return report_error(types.error());
    if (options.samples && *options.samples < 1)
        return report_error(Error{ErrorKind::usage, "--samples must be at least 1", "e.g. --samples 5"});
    if (auto ok = check_output_file(options.html_file, "--html"); !ok)
        return report_error(ok.error());
    if (auto privileged = require_bpf_privileges(); !privileged)
        return report_error(privileged.error());

    install_stop_handlers();
    bench::Results results;
    results.environment = bench::read_environment();
    results.quick = options.quick;
    std::string stopped_by;
    for (const auto &tier : *tiers) {
        if (int signal = stop_signal()) {
            stopped_by = stop_signal_name(signal);
            break;
        }
        if (auto ran = run_tier(tier, options, *types, results); !ran)
            return report_error(ran.error());
    }
    if (stopped_by.empty())
        if (int signal = stop_signal())
            stopped_by = stop_signal_name(signal);

    if (options.json)
        std::fputs((json_line(bench::to_json(results)) + "\n").c_str(), stdout);
    else
        std::fputs(bench::render_text(results).c_str(), stdout);
    std::fflush(stdout);
    if (!options.html_file.empty())
        if (auto written = write_file(options.html_file, bench::render_html(results)); !written)
            return report_error(written.error());
    if (!stopped_by.empty()) {
        spdlog::info("stopped by {}: results cover the samples taken until then; all detached", stopped_by);
        return 0;
    }
    if (const auto problems = bench::inconsistencies(results); !problems.empty())
        return report_error(Error{ErrorKind::inconsistent,
                                  fmt::format("the benchmark's counters do not balance: {}", problems.front()),
                                  "the figures above are not to be trusted; run again with -v and report it"});
    spdlog::info("bench done: all detached");
    return 0;
}

}  // namespace probectl
