// The differences between kernels that docs/kernel-matrix.md names, found by probectl report in
// recordings rather than written down: bprm_execve's prototype (four parameters up to 6.1, one from
// 6.12), a failed (ENOENT) exec reaching the kernel-function hooks up to 6.1 and not from 6.12, and
// the hook types a kernel lacks (lsm on 5.10, kprobe.multi without CONFIG_FPROBE, uprobe.multi
// before 6.6). By default on the recordings of Debian's kernels under tests/data/kernels/ (made by
// scripts/vm/matrix.sh); scripts/vm/matrix.sh runs it again on the recordings it has just made, named
// one a line in PROBECTL_KERNEL_RECORDINGS.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "compare/kernels.h"
#include "loader/text.h"
#include "tests/support/process.h"

namespace probectl::compare {
namespace {

std::vector<std::string> recording_files()
{
    std::vector<std::string> files;
    if (const char *listed = std::getenv("PROBECTL_KERNEL_RECORDINGS")) {
        for (const auto &line : split(listed, '\n'))
            if (!line.empty())
                files.push_back(line);
        return files;
    }
    for (const auto &entry : std::filesystem::directory_iterator(test::test_data_dir() + "/kernels"))
        if (entry.path().extension() == ".json")
            files.push_back(entry.path().string());
    std::ranges::sort(files);
    return files;
}

// Every file folded in as probectl report folds it: a recording, or bench results.
KernelsReport merged_from_files()
{
    KernelsMerge merge;
    for (const auto &file : recording_files()) {
        INFO(file);
        std::ifstream in(file);
        const auto value = nlohmann::json::parse(in);
        if (value.contains("probectl_bench")) {
            REQUIRE(merge.add_bench(value, file));
        } else {
            auto recording = recording_from_json(value);
            REQUIRE(recording);
            REQUIRE(merge.add(*recording, file));
        }
    }
    return merge.report();
}

// "6.12" -> {6, 12}
std::pair<int, int> version_of(const KernelColumn &k)
{
    int major = 0, minor = 0;
    const char *at = k.release.data(), *end = at + k.release.size();
    auto parsed = std::from_chars(at, end, major);
    if (parsed.ptr < end && *parsed.ptr == '.')
        std::from_chars(parsed.ptr + 1, end, minor);
    return {major, minor};
}

const SupportRow &support_row(const KernelsReport &report, const std::string &hook)
{
    const auto row = std::ranges::find(report.support, hook, &SupportRow::hook);
    REQUIRE(row != report.support.end());
    return *row;
}

const KernelsRow *execve_row(const KernelsReport &report, const std::string &scenario, const std::string &hook)
{
    for (const auto &row : report.rows)
        if (row.event == "execve" && row.scenario == scenario && row.hook == hook)
            return &row;
    return nullptr;
}

}  // namespace

TEST_CASE("kernels side by side: the differences docs/kernel-matrix.md names, found in the recordings",
          "[kernel-differences]")
{
    const KernelsReport report = merged_from_files();
    std::size_t old_exec_path = 0, new_exec_path = 0;  // VM kernels up to 6.1, from 6.12
    for (std::size_t i = 0; i < report.kernels.size(); i++) {
        const KernelColumn &k = report.kernels[i];
        INFO("kernel " << k.release << (k.emulated ? " (emulated)" : ""));
        const auto v = version_of(k);
        const bool up_to_6_1 = v <= std::pair{6, 1};
        if (!k.emulated)
            continue;  // this machine's kernel: what it refuses is the [hooks] tests' to assert
        REQUIRE(k.facts);

        // The hook types a kernel lacks, each for its reason; the VMs' stock kernels have the rest.
        const auto fprobe = k.facts->config.find("CONFIG_FPROBE");
        REQUIRE(fprobe != k.facts->config.end());  // Debian's kernels ship their config
        CHECK(fprobe->second == (up_to_6_1 ? "" : "y"));
        const auto &multi = support_row(report, "kprobe.multi").kernels[i];
        REQUIRE(multi);
        if (fprobe->second.empty())
            CHECK_THAT(*multi, Catch::Contains("CONFIG_FPROBE"));
        else
            CHECK(multi->empty());
        const auto &uprobe_multi = support_row(report, "uprobe.multi").kernels[i];
        REQUIRE(uprobe_multi);
        if (v < std::pair{6, 6})
            CHECK_THAT(*uprobe_multi, Catch::Contains("predates uprobe.multi links (6.6)"));
        else
            CHECK(uprobe_multi->empty());
        const auto &lsm = support_row(report, "lsm").kernels[i];
        REQUIRE(lsm);
        if (v == std::pair{5, 10})
            CHECK_THAT(*lsm, Catch::Contains("not an active LSM"));
        else
            CHECK(lsm->empty());
        for (const char *hook : {"kprobe", "kretprobe", "fentry", "fexit", "tracepoint", "tp_btf", "raw_tp",
                                 "uprobe", "uretprobe", "ksyscall"}) {
            INFO("hook " << hook);
            const auto &works = support_row(report, hook).kernels[i];
            REQUIRE(works);
            CHECK(works->empty());
        }

        // bprm_execve: it took the open of the file, with the descriptor, name and flags, up to 6.1.
        const auto prototype = std::ranges::find(report.prototypes, "bprm_execve", &PrototypeRow::function);
        REQUIRE(prototype != report.prototypes.end());
        REQUIRE(prototype->kernels[i]);
        CHECK(*prototype->kernels[i] ==
              (up_to_6_1
                   ? "int bprm_execve(struct linux_binprm *bprm, int fd, struct filename *filename, int flags)"
                   : "int bprm_execve(struct linux_binprm *bprm)"));

        // So a failed open reaches the kernel-function hooks up to 6.1 and not from 6.12.
        for (const char *hook : {"kprobe", "kretprobe", "fentry", "fexit"}) {
            INFO("hook " << hook);
            const KernelsRow *row = execve_row(report, "enoent", hook);
            REQUIRE(row);
            REQUIRE(row->kernels[i]);
            CHECK(row->kernels[i]->took_part);
            if (up_to_6_1) {
                CHECK(row->kernels[i]->count == 1);
            } else {
                CHECK(row->kernels[i]->count == 0);
                CHECK_THAT(row->kernels[i]->cause, Catch::Contains("the exec failed (ENOENT) before it reached"));
            }
        }
        (up_to_6_1 ? old_exec_path : new_exec_path)++;
    }
    // Kernels on both sides: the differences are found, and brought to the top.
    if (old_exec_path && new_exec_path) {
        const auto prototype = std::ranges::find(report.prototypes, "bprm_execve", &PrototypeRow::function);
        CHECK(prototype->differs());
        CHECK(report.prototypes.front().differs());
        for (const char *hook : {"kprobe", "kretprobe", "fentry", "fexit"})
            CHECK(execve_row(report, "enoent", hook)->differs());
        CHECK(report.rows.front().differs());
    }
    // The recordings kept in tests/data/kernels/ have both (the matrix may be run on fewer kernels).
    if (!std::getenv("PROBECTL_KERNEL_RECORDINGS")) {
        CHECK(old_exec_path >= 2);
        CHECK(new_exec_path >= 2);
    }
}

}  // namespace probectl::compare
