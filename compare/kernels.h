// Kernels side by side: recordings of `probectl compare` made on any number of machines and kernels,
// merged into one report. Per event and occurrence, which hooks saw it on which kernel (the rows
// where kernels differ first); per hook, on which kernels it took part and why not elsewhere, and
// the first kernel of the set where it works. Recordings are folded in one at a time and let go:
// what is kept grows with hooks x occurrences x kernels, never with the events recorded.
#pragma once

#include "compare/recording.h"
#include "compare/report.h"
#include "loader/error.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace probectl::compare {

// One column of the report: a kernel, as the recordings made there name it.
struct KernelColumn {
    std::string name;                  // what heads its column: "5.10", or the release where two share that
    std::string release;               // uname -r
    bool emulated = false;             // recorded under software CPU emulation (qemu TCG)
    std::string probectl_version;      // of the recordings made there ("" before format 3)
    std::vector<std::string> sources;  // the files, in the order given
    std::optional<KernelFacts> facts;  // its config and BTF, from the first recording that has them
    bool bench_quick = false;          // its bench results are from `bench --quick`: rough figures
};

// What one hook made of one occurrence on one kernel.
struct KernelCell {
    bool took_part = false;  // the hook was attached there
    std::size_t count = 0;   // its events for the occurrence
    std::string cause;       // count 0: why not ("" when probectl cannot say); not attached: why
};

// One hook's view of one occurrence of one event, on each kernel (nullopt: not recorded there).
struct KernelsRow {
    std::string event, occurrence, scenario, hook;
    std::vector<std::optional<KernelCell>> kernels;
    // Seen on some kernel where the hook took part and not on another where it did too.
    [[nodiscard]] bool differs() const;
};

// A field one hook filled (or not) for one occurrence, on each kernel where the hook saw the
// occurrence (nullopt elsewhere): its values there, sorted and joined, or "" where it filled none.
// Only the fields that can be compared across runs: the return value, the file name and argv (pids,
// times and addresses differ from one run to the next on any kernel).
struct FieldRow {
    std::string event, occurrence, hook, field;
    std::vector<std::optional<std::string>> kernels;
    // Filled on one kernel and not on another, or (the return value) different values.
    [[nodiscard]] bool differs() const;
};

// One hook on each kernel: "" where it took part, else why not; nullopt where nothing recorded it.
struct SupportRow {
    std::string hook;
    std::vector<std::optional<std::string>> kernels;
    std::optional<std::size_t> first_working;  // the first column (oldest kernel) where it took part
    // A hook that took part in any recording of a kernel works there (an event's own target may be
    // missing on it); where it took part in none, the first recording's reason is kept.
};

// A kernel function some hook attached to, with its prototype on each kernel (nullopt where no
// recording of that kernel attached to it, "" where that kernel's BTF has no such function).
struct PrototypeRow {
    std::string function;
    std::vector<std::optional<std::string>> kernels;
    // Two kernels give it different prototypes (or one has it in BTF and another not).
    [[nodiscard]] bool differs() const;
};

// What one hook costs on one kernel, from `probectl bench --json` (medians; nullopt: not measured).
struct CostCell {
    std::optional<double> call_added_ns;  // micro tier: added to each call of the attach point
    std::optional<double> exec_added_ns;  // exec tier: added to each exec
    std::optional<double> attach_ms;      // start-up tier: open + load + attach
    std::string not_measured;             // why not, where no figure was taken
};

struct CostRow {
    std::string hook;
    std::vector<std::optional<CostCell>> kernels;  // nullopt: no bench results of that kernel
};

struct KernelsReport {
    std::vector<KernelColumn> kernels;     // oldest release first
    std::vector<std::string> events;       // as first given
    std::vector<KernelsRow> rows;          // differing rows first, then by event, occurrence and hook
    std::vector<SupportRow> support;       // by hook, in the registry's order as first recorded
    std::vector<FieldRow> fields;          // only those that differ between kernels
    std::vector<PrototypeRow> prototypes;  // every function, the differing ones first
    std::vector<CostRow> costs;            // by hook, where bench results were given
    // The config options recorded on any kernel, in the order first seen.
    std::vector<std::string> config_options;
};

// Orders kernel releases as versions: 5.10.0-46-amd64 before 6.1.0-57-amd64 before 6.12.95+deb12.
bool release_before(const std::string &a, const std::string &b);

class KernelsMerge {
public:
    // Folds in one recording (`source` names it in errors and in the report). Two recordings of the
    // same event on the same kernel are refused: the report would have to pick one.
    Expected<void> add(const Recording &recording, const std::string &source);
    // Folds in the results of `probectl bench --json` (one file per kernel): each hook's cost there.
    Expected<void> add_bench(const nlohmann::json &results, const std::string &source);
    // Folds in `probectl doctor --json` (one per kernel): its config and BTF where no recording of
    // that kernel has them, and which hook types work there.
    Expected<void> add_doctor(const nlohmann::json &doctor, const std::string &source);
    [[nodiscard]] KernelsReport report() const;

private:
    struct Kernel;
    Kernel &kernel(const std::string &release, bool emulated, const std::string &probectl_version);
    // The column of a kernel that takes one file of a kind (given: its field naming that file); an
    // error naming both files when it has one already.
    Expected<Kernel *> one_per_kernel(const std::string &release, bool emulated, std::string Kernel::*given,
                                      std::string_view what, const std::string &source);

    void fold_support(const std::string &hook, std::size_t kernel, const std::string &why_not);
    void fold_facts(Kernel &kernel, const KernelFacts &facts, bool from_recording);
    void fold_fields(const std::string &event, const ExecReport &exec, const Report &report, std::size_t kernel);

    struct Kernel {
        KernelColumn column;
        std::map<std::string, std::string> event_sources;  // event -> the file that recorded it
        std::string bench_source;                          // the bench results' file, if any
        std::string doctor_source;                         // the doctor report's file, if any
        bool facts_from_recording = false;                 // column.facts came from a recording
        std::map<std::string, CostCell> costs;             // hook -> its cost there
    };
    std::vector<Kernel> kernels_;  // in the order first seen
    std::vector<std::string> events_;
    std::vector<std::string> hooks_;  // in the order first seen
    // (event, occurrence id, hook) -> scenario and the cell per kernel index
    struct RowData {
        std::string scenario;
        std::map<std::size_t, KernelCell> cells;
    };
    std::map<std::tuple<std::string, std::string, std::string>, RowData> rows_;
    std::map<std::string, std::map<std::size_t, std::string>> support_;  // hook -> kernel -> "" or why not
    // (event, occurrence id, hook, field) -> kernel -> the values there ("" where the hook saw the
    // occurrence and did not fill the field)
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::map<std::size_t, std::string>>
        fields_;
    std::vector<std::tuple<std::string, std::string>> occurrence_order_;    // (event, id) as first seen
    std::map<std::string, std::map<std::size_t, std::string>> prototypes_;  // function -> kernel -> it
    std::vector<std::string> config_options_;
};

nlohmann::json kernels_to_json(const KernelsReport &report);

// compare/render_kernels.cpp. For a terminal: the kernels, the support table (with why not), then
// per event the rows that differ between kernels (the others counted), each absence's cause; with
// `all`, every row. As Markdown, the same tables, for a page or a pull request.
std::string render_kernels_text(const KernelsReport &report, bool all);
std::string render_kernels_markdown(const KernelsReport &report, bool all);
// One self-contained page (no network), to project at 1280 px: the kernels, the support table, per
// event the differing rows as a heat map with their causes, every row folded away.
std::string render_kernels_html(const KernelsReport &report);

}  // namespace probectl::compare
