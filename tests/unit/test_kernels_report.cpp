// probectl report: compare recordings of several kernels merged (compare/kernels.h), on the project's
// recordings of 5.10 (a VM) and 6.18 (this machine: no kprobes, no trampolines), and the errors of a
// merge that cannot be made.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "compare/kernels.h"
#include "probes/event.h"
#include "tests/support/folded_text.h"
#include "tests/support/process.h"

// In the namespace, not through using-directives: the unit tests are compiled as unity files too,
// where a using-directive would reach the files after this one.
namespace probectl::compare {
namespace {

Recording fixture(const std::string &name)
{
    auto recording = read_recording(test::test_data_dir() + "/compare/" + name);
    REQUIRE(recording);
    return *recording;
}

KernelsReport merged()
{
    KernelsMerge merge;
    REQUIRE(merge.add(fixture("kernel-6.18.json"), "kernel-6.18.json"));
    REQUIRE(merge.add(fixture("kernel-5.10.json"), "kernel-5.10.json"));
    return merge.report();
}

const SupportRow &support(const KernelsReport &report, const std::string &hook)
{
    const auto row = std::ranges::find(report.support, hook, &SupportRow::hook);
    REQUIRE(row != report.support.end());
    return *row;
}

const KernelsRow &row(const KernelsReport &report, const std::string &occurrence, const std::string &hook)
{
    const auto found = std::ranges::find_if(
        report.rows, [&](const KernelsRow &r) { return r.occurrence == occurrence && r.hook == hook; });
    REQUIRE(found != report.rows.end());
    return *found;
}

}  // namespace

TEST_CASE("report: kernels ordered as versions, not as strings", "[compare]")
{
    const std::vector<std::string> releases{"5.10.0-46-amd64",     "6.1.0-9-amd64",   "6.1.0-57-amd64",
                                            "6.12.95+deb12-amd64", "6.18.44-fc-v782", "7.2.13+deb14-amd64"};
    for (std::size_t i = 0; i + 1 < releases.size(); i++) {
        INFO(releases[i] << " before " << releases[i + 1]);
        CHECK(release_before(releases[i], releases[i + 1]));
        CHECK_FALSE(release_before(releases[i + 1], releases[i]));
    }
}

TEST_CASE("report: two kernels' recordings, oldest first, support with its reasons", "[compare]")
{
    const KernelsReport report = merged();
    REQUIRE(report.kernels.size() == 2);
    CHECK(report.kernels[0].release == "5.10.0-46-amd64");
    CHECK(report.kernels[0].name == "5.10");
    CHECK(report.kernels[1].name == "6.18");
    CHECK(report.kernels[1].release == "6.18.44-fc-v669");
    CHECK(report.kernels[0].sources == std::vector<std::string>{"kernel-5.10.json"});
    CHECK(report.events == std::vector<std::string>{"execve"});

    const SupportRow &kprobe = support(report, "kprobe");
    REQUIRE(kprobe.kernels.size() == 2);
    CHECK(kprobe.kernels[0] == "");
    CHECK(kprobe.kernels[1]->find("kernel built without CONFIG_KPROBES") != std::string::npos);
    CHECK(kprobe.first_working == 0U);
    const SupportRow &fentry = support(report, "fentry");
    CHECK(fentry.kernels[1]->find("EPERM") != std::string::npos);
    const SupportRow &uprobe = support(report, "uprobe");
    CHECK(uprobe.kernels[0] == "");
    CHECK(uprobe.kernels[1] == "");
    CHECK(uprobe.first_working == 0U);
}

TEST_CASE("report: every occurrence x hook, the rows that differ between kernels first", "[compare]")
{
    const KernelsReport report = merged();
    CHECK(report.rows.size() == 11 * 10);  // 11 exec attempts, 10 hook types, both kernels
    const auto first_same = std::ranges::find_if(report.rows, [](const KernelsRow &r) { return !r.differs(); });
    CHECK(std::all_of(report.rows.begin(), first_same, [](const KernelsRow &r) { return r.differs(); }));
    CHECK(std::none_of(first_same, report.rows.end(), [](const KernelsRow &r) { return r.differs(); }));

    // The successful exec: the tracepoint sees it on both; kprobe took no part on 6.18, which is
    // a difference of support, not of coverage.
    const KernelsRow &tracepoint = row(report, "1", "tracepoint");
    REQUIRE(tracepoint.kernels.size() == 2);
    CHECK(tracepoint.kernels[0]->count >= 1);
    CHECK(tracepoint.kernels[1]->count >= 1);
    CHECK_FALSE(tracepoint.differs());
    const KernelsRow &kprobe = row(report, "1", "kprobe");
    CHECK(kprobe.kernels[0]->took_part);
    CHECK(kprobe.kernels[0]->count >= 1);
    CHECK_FALSE(kprobe.kernels[1]->took_part);
    CHECK(kprobe.kernels[1]->cause.find("CONFIG_KPROBES") != std::string::npos);
    CHECK_FALSE(kprobe.differs());
}

TEST_CASE("report: a hook that misses an occurrence on one kernel only is a differing row, listed first",
          "[compare]")
{
    // 5.10's recording, and the same as if made on a kernel where fexit missed the failed exec 2a.
    const Recording older = fixture("kernel-5.10.json");
    Recording newer = older;
    newer.kernel = "6.12.95+deb12-amd64";
    const auto exec = std::ranges::find(newer.execs, std::string("2a"), &KnownExec::id);
    REQUIRE(exec != newer.execs.end());
    const auto before = newer.events.size();
    std::erase_if(newer.events, [&](const ExecEvent &e) {
        return e.hook == PCTL_HOOK_FEXIT && e.tgid == exec->tgid && e.ktime_ns >= exec->start_ns &&
               e.ktime_ns < exec->end_ns;
    });
    REQUIRE(newer.events.size() < before);
    KernelsMerge merge;
    REQUIRE(merge.add(newer, "6.12.json"));
    REQUIRE(merge.add(older, "5.10.json"));
    const KernelsReport report = merge.report();
    REQUIRE_FALSE(report.rows.empty());
    const KernelsRow &first = report.rows.front();
    CHECK(first.occurrence == "2a");
    CHECK(first.hook == "fexit");
    CHECK(first.differs());
    CHECK(first.kernels[0]->count >= 1);  // 5.10, the oldest, first
    CHECK(first.kernels[1]->count == 0);
    CHECK(std::ranges::count_if(report.rows, [](const KernelsRow &r) { return r.differs(); }) == 1);
    const std::string text = test::unfolded(render_kernels_text(report, false));
    CHECK(text.find("execve: 110 rows (occurrence x hook); 1 differ between kernels") != std::string::npos);
    CHECK(text.find("2a fexit on 6.12: ") != std::string::npos);
}

TEST_CASE("report: the terminal's text and the JSON say the same", "[compare]")
{
    const KernelsReport report = merged();
    const std::string text = render_kernels_text(report, false);
    CHECK(text.find("5.10.0-46-amd64") != std::string::npos);
    CHECK(test::unfolded(text).find(
              "kprobe on 6.18: not supported on this kernel: kernel built without CONFIG_KPROBES") !=
          std::string::npos);
    CHECK(text.find("execve: 110 rows (occurrence x hook)") != std::string::npos);
    const std::string all = render_kernels_text(report, true);
    CHECK(all.find("1 success") != std::string::npos);

    const std::string markdown = render_kernels_markdown(report, false);
    CHECK(markdown.find("| kprobe | yes | n/a | 5.10 |") != std::string::npos);
    CHECK(markdown.find("- kprobe on 6.18: not supported on this kernel: kernel built without CONFIG\\_KPROBES") !=
          std::string::npos);

    const auto json = kernels_to_json(report);
    CHECK(json["kernels"][0]["release"] == "5.10.0-46-amd64");
    CHECK(json["kernels"][1]["emulated"] == false);
    const auto kprobe = std::ranges::find_if(json["support"], [](const auto &r) { return r["hook"] == "kprobe"; });
    REQUIRE(kprobe != json["support"].end());
    CHECK((*kprobe)["first_working"] == "5.10");
    CHECK((*kprobe)["kernels"][1]["took_part"] == false);
    CHECK(json["rows"].size() == 110);
}

TEST_CASE("report: a second recording of one event on one kernel is refused, naming both files", "[compare]")
{
    KernelsMerge merge;
    REQUIRE(merge.add(fixture("kernel-5.10.json"), "a.json"));
    const auto again = merge.add(fixture("kernel-5.10.json"), "b.json");
    REQUIRE_FALSE(again);
    CHECK(again.error().message == "b.json: a second recording of execve on 5.10.0-46-amd64 (the first: a.json)");
    // The same kernel under emulation is another column.
    Recording emulated = fixture("kernel-5.10.json");
    emulated.emulated = true;
    CHECK(merge.add(emulated, "c.json"));
    CHECK(merge.report().kernels.size() == 2);
}

TEST_CASE(
    "report: format 4 carries probectl's version, emulation and the kernel's facts, a newer format is refused",
    "[compare]")
{
    Recording recording = fixture("kernel-5.10.json");
    CHECK_FALSE(recording.facts);  // format 1
    recording.probectl_version = "9.9.9";
    recording.emulated = true;
    recording.facts = KernelFacts{"/boot/config-5.10.0-46-amd64",
                                  {{"CONFIG_FPROBE", ""}, {"CONFIG_KPROBES", "y"}},
                                  true,
                                  {{"bprm_execve", "int bprm_execve(struct linux_binprm *bprm)"}, {"gone", ""}}};
    auto json = to_json(recording);
    CHECK(json["probectl_recording"] == 4);
    auto back = recording_from_json(json);
    REQUIRE(back);
    CHECK(back->probectl_version == "9.9.9");
    CHECK(back->emulated);
    REQUIRE(back->facts);
    CHECK(back->facts->config_source == "/boot/config-5.10.0-46-amd64");
    CHECK(back->facts->config == recording.facts->config);
    CHECK(back->facts->btf);
    CHECK(back->facts->prototypes == recording.facts->prototypes);
    json["probectl_recording"] = 5;
    auto newer = recording_from_json(json);
    REQUIRE_FALSE(newer);
    CHECK(newer.error().message.find("format version 5, this probectl reads 1 to 4") != std::string::npos);
}

TEST_CASE("report: the kernels' config and the prototypes that differ, from the recordings' facts", "[compare]")
{
    KernelsMerge merge;
    Recording old_kernel = fixture("kernel-5.10.json");
    old_kernel.facts =
        KernelFacts{"/boot/config-5.10.0-46-amd64",
                    {{"CONFIG_FPROBE", ""}, {"CONFIG_KPROBES", "y"}},
                    true,
                    {{"bprm_execve",
                      "int bprm_execve(struct linux_binprm *bprm, int fd, struct filename *filename, int flags)"},
                     {"begin_new_exec", "int begin_new_exec(struct linux_binprm *bprm)"}}};
    Recording new_kernel = fixture("kernel-5.10.json");
    new_kernel.kernel = "6.12.95+deb12-amd64";
    new_kernel.facts = KernelFacts{"/proc/config.gz",
                                   {{"CONFIG_FPROBE", "y"}, {"CONFIG_KPROBES", "y"}},
                                   true,
                                   {{"bprm_execve", "int bprm_execve(struct linux_binprm *bprm)"},
                                    {"begin_new_exec", "int begin_new_exec(struct linux_binprm *bprm)"}}};
    Recording unknown = fixture("kernel-6.18.json");  // format 1: no facts
    REQUIRE(merge.add(new_kernel, "6.12.json"));
    REQUIRE(merge.add(unknown, "6.18.json"));
    REQUIRE(merge.add(old_kernel, "5.10.json"));
    const KernelsReport report = merge.report();
    REQUIRE(report.kernels.size() == 3);
    REQUIRE(report.kernels[0].facts);
    CHECK(report.kernels[0].facts->config.at("CONFIG_FPROBE").empty());
    CHECK(report.kernels[1].facts->config.at("CONFIG_FPROBE") == "y");
    CHECK_FALSE(report.kernels[2].facts);
    CHECK(report.config_options == std::vector<std::string>{"CONFIG_FPROBE", "CONFIG_KPROBES"});

    REQUIRE(report.prototypes.size() == 2);
    const PrototypeRow &bprm = report.prototypes[0];  // the one that differs first
    CHECK(bprm.function == "bprm_execve");
    CHECK(bprm.differs());
    CHECK(bprm.kernels[1] == "int bprm_execve(struct linux_binprm *bprm)");
    CHECK(bprm.kernels[2] == std::nullopt);
    CHECK_FALSE(report.prototypes[1].differs());

    const std::string text = test::unfolded(render_kernels_text(report, false));  // CHECKs every line's width
    CHECK(text.find("CONFIG_FPROBE") != std::string::npos);
    CHECK(text.find("bprm_execve differs:") != std::string::npos);
    CHECK(text.find("5.10: int bprm_execve(struct linux_binprm *bprm, int fd, struct filename *filename, int "
                    "flags)") != std::string::npos);
    CHECK(text.find("6.12: int bprm_execve(struct linux_binprm *bprm)") != std::string::npos);
    CHECK(text.find("the same on each kernel that recorded it: begin_new_exec") != std::string::npos);
    const auto json = kernels_to_json(report);
    CHECK(json["probectl_kernels"] == 2);
    CHECK(json["kernels"][0]["config"]["CONFIG_FPROBE"] == "");
    CHECK(json["kernels"][2]["btf"].is_null());
    CHECK(json["prototypes"][0]["differs"] == true);
    const std::string page = render_kernels_html(report);
    CHECK(page.find("<h2>Config</h2>") != std::string::npos);
    CHECK(page.find("<h2>Kernel functions</h2>") != std::string::npos);
}

namespace {

nlohmann::json bench_results(const std::string &kernel, bool emulated)
{
    const auto spread = [](double median) {
        return nlohmann::json{{"min", median}, {"median", median}, {"max", median}};
    };
    return {
        {"probectl_bench", 1},
        {"quick", true},
        {"environment", {{"kernel", kernel}, {"emulated", emulated}}},
        {"micro",
         {{"hooks",
           {{{"hook", "kprobe"}, {"added_ns", spread(85)}},
            {{"hook", "fentry"}, {"not_measured", "not supported on this kernel: EPERM"}}}}}},
        {"exec", {{"hooks", {{{"hook", "kprobe"}, {"added_ns", spread(2100)}}}}}},
        {"startup",
         {{"hooks",
           {{{"hook", "kprobe"}, {"open_ms", spread(1)}, {"load_ms", spread(20)}, {"attach_ms", spread(10)}}}}}}};
}

}  // namespace

TEST_CASE("report: bench results give each hook's cost per kernel, marked emulated and quick", "[compare]")
{
    KernelsMerge merge;
    REQUIRE(merge.add(fixture("kernel-5.10.json"), "5.10.json"));
    REQUIRE(merge.add_bench(bench_results("5.10.0-46-amd64", false), "bench-5.10.json"));
    REQUIRE(merge.add_bench(bench_results("6.1.0-57-amd64", true), "bench-6.1.json"));
    const KernelsReport report = merge.report();
    REQUIRE(report.kernels.size() == 2);  // the bench results joined the 5.10 recording's column
    CHECK(report.kernels[0].sources == std::vector<std::string>{"5.10.json", "bench-5.10.json"});
    CHECK(report.kernels[1].emulated);
    CHECK(report.kernels[1].bench_quick);
    REQUIRE(report.costs.size() == 2);
    const auto kprobe = std::ranges::find(report.costs, "kprobe", &CostRow::hook);
    REQUIRE(kprobe != report.costs.end());
    REQUIRE(kprobe->kernels[1]);
    CHECK(kprobe->kernels[1]->call_added_ns == 85);
    CHECK(kprobe->kernels[1]->exec_added_ns == 2100);
    CHECK(kprobe->kernels[1]->attach_ms == 31);
    const auto fentry = std::ranges::find(report.costs, "fentry", &CostRow::hook);
    REQUIRE(fentry != report.costs.end());
    CHECK(fentry->kernels[0]->not_measured == "not supported on this kernel: EPERM");
    // 6.1 has bench results only: no support row says anything of it.
    CHECK(support(report, "kprobe").kernels[1] == std::nullopt);

    const std::string text = test::unfolded(render_kernels_text(report, false));
    CHECK(text.find("6.1 (emulated, quick): +85 ns/call, +2.1 us/exec, 31 ms to attach") != std::string::npos);
    CHECK(text.find("not measured: not supported on this kernel: EPERM") != std::string::npos);
    CHECK(render_kernels_markdown(report, false).find("| 6.1 (emulated, quick) |") != std::string::npos);
    CHECK(kernels_to_json(report)["costs"][0]["kernels"][1]["attach_ms"] == 31.0);

    auto again = merge.add_bench(bench_results("6.1.0-57-amd64", true), "bench-6.1-again.json");
    REQUIRE_FALSE(again);
    CHECK(again.error().message == "bench-6.1-again.json: a second bench run on 6.1.0-57-amd64 (the first: "
                                   "bench-6.1.json)");
    auto broken = merge.add_bench({{"probectl_bench", 1}}, "broken.json");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.starts_with("broken.json: not the results of probectl bench --json"));
}

TEST_CASE("report: a field differs when one kernel fills it and another does not, or the return differs",
          "[compare]")
{
    FieldRow filled_once{"execve", "2a", "fexit", "filename", {std::string("/no/such"), std::string(""), {}}};
    CHECK(filled_once.differs());
    FieldRow same{"execve", "1", "fexit", "retval", {std::string("0"), std::string("0"), {}}};
    CHECK_FALSE(same.differs());
    FieldRow returned{"execve", "2a", "fexit", "retval", {std::string("-2"), std::string("-13")}};
    CHECK(returned.differs());
    // A file name both filled, differently (a path drawn per run), is not a kernel's difference.
    FieldRow paths{
        "execve", "1", "tracepoint", "filename", {std::string("/tmp/a/true"), std::string("/tmp/b/true")}};
    CHECK_FALSE(paths.differs());

    const KernelsReport report = merged();
    for (const auto &row : report.fields) {
        INFO(row.occurrence << " " << row.hook << " " << row.field);
        CHECK(row.differs());
        CHECK(row.kernels.size() == 2);
    }
    CHECK(kernels_to_json(report)["fields"].size() == report.fields.size());
}

TEST_CASE("report: a return value one kernel's hook fills and another's does not is a field row", "[compare]")
{
    const Recording older = fixture("kernel-5.10.json");
    Recording newer = older;
    newer.kernel = "6.12.95+deb12-amd64";
    const auto exec = std::ranges::find(newer.execs, std::string("1"), &KnownExec::id);
    REQUIRE(exec != newer.execs.end());
    int cleared = 0;
    for (auto &e : newer.events)
        if (e.hook == PCTL_HOOK_FEXIT && e.tgid == exec->tgid && e.ktime_ns >= exec->start_ns &&
            e.ktime_ns < exec->end_ns && e.retval) {
            e.retval.reset();
            cleared++;
        }
    REQUIRE(cleared > 0);
    KernelsMerge merge;
    REQUIRE(merge.add(older, "5.10.json"));
    REQUIRE(merge.add(newer, "6.12.json"));
    const KernelsReport report = merge.report();
    REQUIRE(report.fields.size() == 1);
    const FieldRow &row = report.fields.front();
    CHECK(row.occurrence == "1");
    CHECK(row.hook == "fexit");
    CHECK(row.field == "retval");
    CHECK(row.kernels[0] == "0");
    CHECK(row.kernels[1] == "");
    CHECK(test::unfolded(render_kernels_text(report, false)).find("1 fexit retval: 5.10 0; 6.12 not filled") !=
          std::string::npos);
    CHECK(kernels_to_json(report)["fields"][0]["kernels"][1] == "");
}

TEST_CASE("report: a hook that took part in any recording of a kernel works there, whatever the order",
          "[compare]")
{
    const Recording execve = fixture("kernel-5.10.json");
    Recording openat = execve;
    openat.event = "openat";
    for (auto &hook : openat.hooks)
        if (hook.name == "kprobe") {
            hook.attached = false;
            hook.not_attached = "no such function";
        }
    for (const bool execve_first : {true, false}) {
        KernelsMerge merge;
        REQUIRE(merge.add(execve_first ? execve : openat, "a.json"));
        REQUIRE(merge.add(execve_first ? openat : execve, "b.json"));
        const KernelsReport report = merge.report();
        REQUIRE(report.kernels.size() == 1);
        CHECK(report.events.size() == 2);
        CHECK(support(report, "kprobe").kernels[0] == "");
    }
}

TEST_CASE("report: a command's inferred occurrences are refused, naming the file", "[compare]")
{
    Recording inferred = fixture("kernel-5.10.json");
    inferred.execs_known = false;
    KernelsMerge merge;
    const auto added = merge.add(inferred, "mine.json");
    REQUIRE_FALSE(added);
    CHECK(
        added.error().message.starts_with("mine.json: its occurrences were inferred from a command's own calls"));
}

TEST_CASE("report: eight kernels fit 80 columns, hostile names are escaped everywhere", "[compare]")
{
    KernelsMerge merge;
    for (const char *release : {"4.19.0-1", "5.4.0-1", "5.10.0-46-amd64", "5.15.0-1", "6.1.0-57-amd64", "6.6.0-1",
                                "6.12.95+deb12-amd64", "7.2.13+deb14-amd64"}) {
        Recording recording = fixture("kernel-5.10.json");
        recording.kernel = release;
        REQUIRE(merge.add(recording, std::string(release) + ".json"));
    }
    Recording hostile = fixture("kernel-6.18.json");
    hostile.kernel = "6.18\x1b[31m<script>*x*</script>99999999999999999999999";
    hostile.hooks[0].name = "kp\x1b[2J<b>|";
    const std::string long_name = "CONFIG_\x1b[2J<script>*x*</script>" + std::string(30, 'X');
    hostile.facts = KernelFacts{"/proc/\x1b[2J<script>",
                                {{long_name, "y\x1b[2J<script>"}},
                                true,
                                {{long_name, "int f(struct \x1b[2J<script> *x" + std::string(40, 'y') + ")"}}};
    REQUIRE(merge.add(hostile, "h.json"));
    REQUIRE(merge.add_bench(
        {{"probectl_bench", 1},
         {"quick", false},
         {"environment", {{"kernel", hostile.kernel}, {"emulated", false}}},
         {"micro",
          {{"hooks",
            {{{"hook", long_name}, {"not_measured", "\x1b[2J<script>*x*</script>" + std::string(40, 'z')}}}}}}},
        "hb.json"));
    const KernelsReport report = merge.report();
    CHECK(report.kernels.size() == 9);
    const std::string text = render_kernels_text(report, true);
    test::unfolded(text);  // CHECKs every line's width
    CHECK(text.find('\x1b') == std::string::npos);
    const std::string page = render_kernels_html(report);
    CHECK(page.find("<script>*x*") == std::string::npos);
    CHECK(page.find("&lt;script&gt;") != std::string::npos);
    const std::string markdown = render_kernels_markdown(report, true);
    CHECK(markdown.find("<script>") == std::string::npos);
    CHECK(markdown.find('\x1b') == std::string::npos);
}

TEST_CASE("report: a doctor report adds a kernel's config and which hook types work there", "[compare]")
{
    const nlohmann::json doctor = {
        {"probectl_doctor", 1},
        {"kernel", "6.1.0-57-amd64"},
        {"emulated", true},
        {"btf", true},
        {"config_source", "/boot/config-6.1.0-57-amd64"},
        {"config", {{"CONFIG_FPROBE", ""}, {"CONFIG_KPROBES", "y"}, {"CONFIG_BPF_LSM", nullptr}}},
        {"hooks",
         {{{"hook", "kprobe"}, {"works", true}, {"reason", nullptr}},
          {{"hook", "kprobe.multi"}, {"works", false}, {"reason", "kernel built without CONFIG_FPROBE"}}}}};
    KernelsMerge merge;
    REQUIRE(merge.add(fixture("kernel-5.10.json"), "5.10.json"));
    REQUIRE(merge.add_doctor(doctor, "doctor-6.1.json"));
    const KernelsReport report = merge.report();
    REQUIRE(report.kernels.size() == 2);
    CHECK(report.kernels[1].name == "6.1");
    CHECK(report.kernels[1].emulated);
    REQUIRE(report.kernels[1].facts);
    CHECK(report.kernels[1].facts->config ==
          std::map<std::string, std::string>{{"CONFIG_FPROBE", ""}, {"CONFIG_KPROBES", "y"}});
    CHECK(support(report, "kprobe").kernels[1] == "");
    CHECK(support(report, "kprobe.multi").kernels[1] ==
          "not supported on this kernel: kernel built without CONFIG_FPROBE");
    CHECK(support(report, "uprobe").kernels[1] == std::nullopt);  // the doctor report did not list it
    auto again = merge.add_doctor(doctor, "doctor-again.json");
    REQUIRE_FALSE(again);
    CHECK(again.error().message == "doctor-again.json: a second doctor report on 6.1.0-57-amd64 (the first: "
                                   "doctor-6.1.json)");
    auto broken = merge.add_doctor({{"probectl_doctor", 1}, {"kernel", 7}}, "broken.json");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.starts_with("broken.json: not the output of probectl doctor --json"));
}

}  // namespace probectl::compare
