// probectl bench's verdicts and outputs, on hand-made results: the goals (orderings from the
// medians of paired samples), the counters that must balance, the JSON, and hostile text in HTML.
#include <catch2/catch.hpp>

#include "bench/environment.h"
#include "bench/report.h"

using namespace probectl::bench;

namespace {

MicroHook micro(const std::string &hook, std::vector<double> added, std::uint64_t triggers = 1000,
                std::uint64_t hits = 1000)
{
    MicroHook h;
    h.hook = hook;
    h.trigger = "getpgid syscall";
    h.added_ns = added;
    for (double a : added)
        h.ns_per_call.push_back(200 + a);
    h.triggers = triggers;
    h.hits = hits;
    return h;
}

MicroHook unsupported(const std::string &hook)
{
    MicroHook h;
    h.hook = hook;
    h.not_measured = "not supported on this kernel: kernel built without CONFIG_KPROBES";
    return h;
}

Results with_micro(std::vector<MicroHook> hooks)
{
    Results r;
    r.environment.kernel = "6.1.0-test";
    r.micro = MicroTier{};
    r.micro->hooks = std::move(hooks);
    return r;
}

const Goal &goal_about(const std::vector<Goal> &goals, std::string_view start)
{
    for (const auto &g : goals)
        if (g.goal.starts_with(start))
            return g;
    FAIL("no goal starting with " << start);
    static const Goal none;
    return none;
}

}  // namespace

TEST_CASE("spread: min, median (mean of the middle two when even) and max", "[bench]")
{
    const Spread odd = spread_of({5, 1, 3});
    CHECK(odd.min == 1);
    CHECK(odd.median == 3);
    CHECK(odd.max == 5);
    CHECK(spread_of({4, 1, 3, 2}).median == 2.5);
    CHECK(spread_of({}).median == 0);
}

TEST_CASE("goals: an ordering is met, not met, or not measured when a hook is missing", "[bench]")
{
    const auto goals = evaluate_goals(with_micro(
        {micro("raw_tp", {60, 70, 500}), micro("tracepoint", {200, 210, 190}), micro("fentry", {300, 310, 305}),
         micro("kprobe", {100, 90, 95}), unsupported("fexit"), micro("kretprobe", {400})}));
    const Goal &raw = goal_about(goals, "raw_tp costs no more than tracepoint");
    CHECK(raw.status == GoalStatus::met);  // medians 70 and 200: one outlier sample does not decide
    CHECK(raw.detail == "raw_tp +70 ns, tracepoint +200 ns per event: 0.35x");
    CHECK(goal_about(goals, "fentry costs no more than kprobe").status == GoalStatus::not_met);
    const Goal &fexit = goal_about(goals, "fexit costs no more than kretprobe");
    CHECK(fexit.status == GoalStatus::not_measured);
    CHECK(fexit.detail == "fexit not measured on this kernel");
    CHECK(goal_about(goals, "uprobe costs no more than uretprobe").status == GoalStatus::not_measured);
}

TEST_CASE("goals: pipeline rate, start-up time and exec drops against their thresholds", "[bench]")
{
    Results r;
    r.pipeline = PipelineTier{};
    r.pipeline->sinks.push_back({"null", {0.9e6, 1.2e6, 1.1e6}, 30, 30});
    r.pipeline->sinks.push_back({"ndjson", {0.4e6, 0.5e6, 0.45e6}, 30, 30});
    r.startup = StartupTier{};
    r.startup->hooks = {StartupHook{"kprobe", "not supported on this kernel: x", {}, {}, {}, {}},
                        StartupHook{"tracepoint", "", {1}, {10}, {1}, {1}}};
    r.startup->together_hooks = {"tracepoint"};
    r.startup->together_ms = {120, 90, 95};
    r.exec = ExecTier{};
    r.exec->flood = ExecFlood{2, 1.0, 1000, {"tracepoint"}, 999, 1000, 1, 1u << 20};
    const auto goals = evaluate_goals(r);
    const Goal &pipeline = goal_about(goals, "probectl's userspace cost per event");
    CHECK(pipeline.status == GoalStatus::met);
    CHECK(pipeline.detail == "1.10 M events/s, 909 ns per event");
    const Goal &ndjson = goal_about(goals, "NDJSON (attach --json)");
    CHECK(ndjson.status == GoalStatus::not_met);  // 2222 ns: over 1 us, though 2.4x the null sink
    CHECK(ndjson.detail == "2222 ns per event, 2.4x the null sink's 909 ns");
    const Goal &startup = goal_about(goals, "every hook opened, loaded and attached");
    CHECK(startup.status == GoalStatus::met);
    CHECK(startup.detail == "1 hooks in 95.0 ms (1 not available on this kernel)");
    const Goal &drops = goal_about(goals, "zero drops");
    CHECK(drops.status == GoalStatus::not_met);
    CHECK(drops.detail == "1000 execs/s on 2 workers, 1 hooks, 999 events, 1 dropped");
}

TEST_CASE("goals: attach's start-up against the libbpf floor and bpftrace, memory against bpftrace's", "[bench]")
{
    Results r;
    r.startup = StartupTier{};
    r.startup->first_event = {FirstEventTool{"probectl", "probectl attach", "", {40, 44, 50}, {90}, {20, 19}},
                              FirstEventTool{"floor", "probectl-floor", "", {30, 31, 29}, {80}, {14}}};
    auto goals = evaluate_goals(r);
    const Goal &floor = goal_about(goals, "attach start-up to the first event <= 1.5x");
    CHECK(floor.status == GoalStatus::met);
    CHECK(floor.detail == "44.0 ms against 30.0 ms: 1.47x");
    // without bpftrace, its two goals are not measured
    CHECK(goal_about(goals, "attach start-up to the first event <= 1/6").status == GoalStatus::not_measured);
    CHECK(goal_about(goals, "attach peak memory").status == GoalStatus::not_measured);

    r.startup->first_event.push_back(FirstEventTool{"bpftrace", "bpftrace -e", "", {270, 290}, {400}, {95, 99}});
    r.startup->first_event[1].first_event_ms = {20};  // 2.2x the floor
    goals = evaluate_goals(r);
    CHECK(goal_about(goals, "attach start-up to the first event <= 1.5x").status == GoalStatus::not_met);
    const Goal &bpftrace = goal_about(goals, "attach start-up to the first event <= 1/6");
    CHECK(bpftrace.status == GoalStatus::met);
    CHECK(bpftrace.detail == "44.0 ms against 280.0 ms: bpftrace takes 6.4x");
    const Goal &memory = goal_about(goals, "attach peak memory");
    CHECK(memory.status == GoalStatus::not_met);  // 19.5 / 97 = 0.201
    CHECK(memory.detail == "19.5 MiB against 97.0 MiB: 0.20");

    r.startup->first_event[0].not_measured = "probectl showed no event in 120 s";
    goals = evaluate_goals(r);
    CHECK(goal_about(goals, "attach start-up to the first event <= 1.5x").status == GoalStatus::not_measured);
}

TEST_CASE("a quick run is marked rough everywhere and judges no goal, a negative cost is called noise", "[bench]")
{
    Results r = with_micro({micro("raw_tp", {-5, -3, -4}), micro("tracepoint", {200, 210, 190})});
    r.startup = StartupTier{};
    r.startup->hooks = {StartupHook{"tracepoint", "", {1}, {10}, {1}, {1}}};
    r.quick = true;
    const auto goals = evaluate_goals(r);
    CHECK(goal_about(goals, "raw_tp costs no more than tracepoint").status == GoalStatus::rough);
    CHECK(goal_about(goals, "fentry costs no more than kprobe").status == GoalStatus::not_measured);
    const std::string text = render_text(r);
    CHECK(text.find("A QUICK RUN (--quick): short samples") != std::string::npos);
    CHECK(text.find("[rough] raw_tp costs no more than tracepoint") != std::string::npos);
    CHECK(text.find("[met]") == std::string::npos);
    CHECK(text.find("  (negative: noise, below what these samples resolve)\n") != std::string::npos);
    CHECK(text.find("\nstartup:") < text.find("\nmicro:"));  // the tiers in their documented order
    const auto json = to_json(r);
    CHECK(json["quick"] == true);
    CHECK(json["goals"][0]["status"] == "rough");
    const std::string page = render_html(r);
    CHECK(page.find("<strong>A quick run (--quick):</strong>") != std::string::npos);
    CHECK(page.find("<h2>Start-up</h2>") < page.find("<h2>Micro"));
}

TEST_CASE("inconsistencies: every counter that does not balance is named", "[bench]")
{
    Results r = with_micro({micro("tracepoint", {100}, 1000, 1000), micro("raw_tp", {50}, 1000, 999)});
    r.exec = ExecTier{};
    ExecHook uret;
    uret.hook = "uretprobe";
    uret.expected_per_exec = 0;
    uret.execs = 10;  // execve returns only when it fails: no event is right
    ExecHook tp;
    tp.hook = "tracepoint";
    tp.execs = 10;
    tp.events = 9;
    tp.emitted = 10;
    r.exec->hooks = {uret, tp};
    r.pipeline = PipelineTier{};
    r.pipeline->stall = PipelineStall{1u << 20, 864, 438, 425};
    const auto found = inconsistencies(r);
    REQUIRE(found.size() == 4);
    CHECK(found[0] == "micro raw_tp: 999 hits for 1000 triggers");
    CHECK(found[1] == "exec tracepoint: 9 events for 10 execs (expected 1 each)");
    CHECK(found[2] == "exec tracepoint: the program emitted 10 but 9 were read");
    CHECK(found[3] == "pipeline stall: 425 dropped reported, but 864 produced - 438 consumed = 426");

    r.pipeline->stall->dropped = 426;
    r.exec->hooks.pop_back();
    r.micro->hooks.pop_back();
    CHECK(inconsistencies(r).empty());
}

TEST_CASE("JSON keeps every sample, the machine, and unmeasured hooks with their reason", "[bench]")
{
    Results r = with_micro({micro("tracepoint", {100, 120}), unsupported("kprobe")});
    r.environment.cpu_model = "Test CPU";
    r.environment.mitigations = {{"spectre_v2", "Mitigation: Retpolines"}};
    const auto json = to_json(r);
    CHECK(json["environment"]["kernel"] == "6.1.0-test");
    CHECK(json["environment"]["mitigations"]["spectre_v2"] == "Mitigation: Retpolines");
    const auto &tp = json["micro"]["hooks"][0];
    CHECK(tp["added_ns"]["samples"] == nlohmann::json::array({100.0, 120.0}));
    CHECK(tp["added_ns"]["median"] == 110.0);
    CHECK(tp["hits_per_trigger"] == 1.0);
    CHECK(json["micro"]["hooks"][1]["not_measured"] ==
          "not supported on this kernel: kernel built without CONFIG_KPROBES");
    CHECK_FALSE(json["micro"]["hooks"][1].contains("added_ns"));
    CHECK(json["inconsistencies"].empty());
}

TEST_CASE("HTML: one bar per measured hook, reasons as text, hostile strings escaped", "[bench]")
{
    Results r = with_micro({micro("tracepoint", {100}), micro("raw_tp", {40}), unsupported("kprobe")});
    r.environment.cpu_model = "<script>alert(1)</script>";
    r.environment.emulated = true;
    const std::string page = render_html(r);
    CHECK(page.find("<script>") == std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    size_t bars = 0;
    for (size_t at = page.find("class=\"bar\""); at != std::string::npos; at = page.find("class=\"bar\"", at + 1))
        bars++;
    CHECK(bars == 2);
    CHECK(page.find("kernel built without CONFIG_KPROBES") != std::string::npos);
    CHECK(page.find("software CPU emulation") != std::string::npos);
    CHECK(page.find("probectl's objects at the same points") == std::string::npos);  // none measured

    CaptureCost cost;
    cost.hook = "tracepoint";
    cost.decodes = "pid (int), comm <chars>";
    cost.exec_added_ns = {200, 220, 210};
    cost.generic_added_ns = {230, 240, 231};
    CaptureCost skipped;
    skipped.hook = "kprobe";
    skipped.not_measured = "not supported on this kernel";
    r.micro->capture = {cost, skipped};
    const std::string with_capture = render_html(r);
    CHECK(with_capture.find("<tr><td>tracepoint</td><td class=\"n\">210.0</td><td class=\"n\">231.0</td><td "
                            "class=\"n\">1.10</td><td>pid (int), comm &lt;chars&gt;</td></tr>") !=
          std::string::npos);
    CHECK(with_capture.find("<td colspan=\"4\" class=\"not-measured\">not supported on this kernel</td>") !=
          std::string::npos);

    r.startup = StartupTier{};
    r.startup->first_event = {
        FirstEventTool{"probectl", "probectl attach \"<x>\"", "", {40, 44}, {90}, {20}},
        FirstEventTool{"bpftrace", "bpftrace", "bpftrace showed no event (<none>)", {}, {}, {}}};
    const std::string with_first = render_html(r);
    CHECK(with_first.find("<tr><td title=\"probectl attach &quot;&lt;x&gt;&quot;\">probectl</td><td "
                          "class=\"n\">42.0</td><td class=\"n\">90.0</td><td class=\"n\">20.0</td></tr>") !=
          std::string::npos);
    CHECK(
        with_first.find("<td colspan=\"3\" class=\"not-measured\">bpftrace showed no event (&lt;none&gt;)</td>") !=
        std::string::npos);
}

TEST_CASE("emulation is recognised from the CPU model or the VM's kernel command line", "[bench]")
{
    CHECK(looks_emulated("QEMU TCG CPU version 2.5+", ""));
    CHECK(looks_emulated("AMD EPYC", "console=ttyS0 probectl.emulated=tcg"));
    CHECK_FALSE(looks_emulated("AMD EPYC", "BOOT_IMAGE=/vmlinuz root=/dev/sda1"));
}
