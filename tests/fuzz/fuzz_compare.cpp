// Fuzz target: the compare engine fed random event streams. Hooks, known execs and events are
// drawn from the input (times, pids and fields overlapping on purpose); correlating, building the
// report and rendering it must never crash, and no hook is credited with more events than it sent
// or more matched events than events.
#include "compare/recording.h"
#include "compare/render.h"
#include "compare/report.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace probectl;
using namespace probectl::compare;

namespace {

// Hostile bytes: what traced processes control (event strings, a -- CMD's path and argv).
std::string small_string(FuzzedDataProvider &in)
{
    return in.ConsumeRandomLengthString(300);
}

// probectl's own words (hook names, scenarios) and the kernel's release: printable ASCII, as
// they are in practice; a replayed file's strings are valid UTF-8, for its JSON parser checks them.
std::string own_string(FuzzedDataProvider &in)
{
    std::string text = in.ConsumeRandomLengthString(40);
    for (char &c : text)
        c = static_cast<char>(' ' + static_cast<unsigned char>(c) % 95);
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    Recording recording;
    recording.kernel = own_string(in);
    recording.execs_known = in.ConsumeBool();
    const auto hooks = in.ConsumeIntegralInRange<int>(0, 10);
    for (int i = 0; i < hooks; i++) {
        HookRun run;
        run.id = in.ConsumeIntegralInRange<std::uint32_t>(0, 12);
        run.name = own_string(in);
        run.phase = static_cast<ExecPhase>(in.ConsumeIntegralInRange<int>(0, 2));
        run.attached = in.ConsumeBool();
        run.emitted = in.ConsumeIntegral<std::uint32_t>();
        run.dropped = in.ConsumeIntegral<std::uint32_t>();
        if (in.ConsumeBool())
            run.run_count = in.ConsumeIntegral<std::uint64_t>();
        if (in.ConsumeBool())
            run.run_time_ns = in.ConsumeIntegral<std::uint64_t>();
        bool listed = false;  // a recording lists each hook once (recording_from_json refuses twice)
        for (const auto &seen : recording.hooks)
            listed = listed || seen.id == run.id;
        if (!listed)
            recording.hooks.push_back(run);
    }
    const auto execs = in.ConsumeIntegralInRange<int>(0, 12);
    for (int i = 0; i < execs; i++) {
        KnownExec exec;
        exec.id = std::to_string(i);
        exec.scenario = own_string(in);
        exec.tgid = in.ConsumeIntegralInRange<std::uint32_t>(1, 8);
        exec.tid = in.ConsumeBool() ? exec.tgid : in.ConsumeIntegralInRange<std::uint32_t>(1, 8);
        exec.start_ns = in.ConsumeIntegralInRange<std::uint64_t>(0, 1000);
        exec.end_ns = exec.start_ns + in.ConsumeIntegralInRange<std::uint64_t>(0, 1000);
        exec.syscall = in.ConsumeBool() ? "execve" : "execveat";
        exec.path = small_string(in);
        if (in.ConsumeBool())
            exec.argv.push_back(small_string(in));
        if (in.ConsumeBool())
            exec.error = in.ConsumeIntegralInRange<int>(0, 140);
        exec.argv_over_limit = in.ConsumeBool();
        recording.execs.push_back(exec);
    }
    while (in.remaining_bytes() > 0 && recording.events.size() < 64) {
        ExecEvent e;
        e.hook = in.ConsumeIntegralInRange<std::uint32_t>(0, 12);
        e.ktime_ns = in.ConsumeIntegralInRange<std::uint64_t>(0, 2200);
        e.cpu = in.ConsumeIntegralInRange<std::uint32_t>(0, 3);
        e.tgid = in.ConsumeIntegralInRange<std::uint32_t>(0, 9);
        e.pid = in.ConsumeBool() ? e.tgid : in.ConsumeIntegralInRange<std::uint32_t>(0, 9);
        e.ppid = in.ConsumeIntegral<std::uint32_t>();
        e.uid = in.ConsumeIntegralInRange<std::uint32_t>(0, 2);
        e.comm = in.ConsumeRandomLengthString(20);
        if (in.ConsumeBool())
            e.filename = small_string(in);
        if (in.ConsumeBool())
            e.argv = std::vector<std::string>{small_string(in), small_string(in)};
        if (in.ConsumeBool())
            e.retval = in.ConsumeIntegralInRange<std::int64_t>(-140, 1);
        if (in.ConsumeBool())
            e.old_pid = in.ConsumeIntegralInRange<std::uint32_t>(0, 9);
        e.filename_truncated = in.ConsumeBool();
        e.argv_truncated = in.ConsumeBool();
        recording.events.push_back(e);
    }
    const Report report = build_report(recording);
    std::size_t counted = 0;
    for (const auto &hook : report.hooks) {
        if (hook.explained > hook.events)
            std::abort();
        counted += hook.events;
    }
    if (counted > recording.events.size())
        std::abort();
    (void)report_to_json(report).dump(-1, ' ', true);
    (void)render_text(report, {in.ConsumeBool()});
    (void)render_markdown(report);
    (void)render_html(report);
    // The recording survives its own JSON form.
    auto again = recording_from_json(nlohmann::json::parse(to_json(recording).dump(-1, ' ', true)));
    if (!again || again->events.size() != recording.events.size())
        std::abort();
    return 0;
}
