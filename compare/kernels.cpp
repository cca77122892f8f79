#include "compare/kernels.h"

#include "compare/report.h"
#include "loader/escape.h"
#include "loader/text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <numeric>

namespace probectl::compare {
namespace {

// "6.12.95+deb12-amd64" -> 6, 12, 95: the leading numbers, up to the first part that is not one (a
// recording's release is untrusted text: a number too long for a long ends the list).
std::vector<long> version_numbers(const std::string &release)
{
    std::vector<long> out;
    const char *at = release.data(), *const end = release.data() + release.size();
    while (at < end) {
        long number = 0;
        const auto [next, error] = std::from_chars(at, end, number);
        if (error != std::errc())
            break;
        out.push_back(number);
        if (next == end || (*next != '.' && *next != '-'))
            break;
        at = next + 1;
    }
    return out;
}

// "5.10.0-46-amd64" -> "5.10": what a column is headed by.
std::string short_name(const std::string &release)
{
    const auto numbers = version_numbers(release);
    if (numbers.size() < 2)
        return release;
    return fmt::format("{}.{}", numbers[0], numbers[1]);
}

}  // namespace

bool release_before(const std::string &a, const std::string &b)
{
    const auto na = version_numbers(a), nb = version_numbers(b);
    if (na != nb)
        return na < nb;
    return a < b;
}

bool KernelsRow::differs() const
{
    bool seen = false, missed = false;
    for (const auto &cell : kernels)
        if (cell && cell->took_part)
            (cell->count > 0 ? seen : missed) = true;
    return seen && missed;
}

bool FieldRow::differs() const
{
    bool filled = false, lacking = false;
    std::optional<std::string> first;
    bool values_differ = false;
    for (const auto &value : kernels) {
        if (!value)
            continue;
        (value->empty() ? lacking : filled) = true;
        if (!value->empty()) {
            if (first && *first != *value)
                values_differ = true;
            first = *value;
        }
    }
    return (filled && lacking) || (values_differ && (field == "retval" || field == "ret"));
}

bool PrototypeRow::differs() const
{
    std::optional<std::string> first;
    for (const auto &prototype : kernels)
        if (prototype) {
            if (first && *first != *prototype)
                return true;
            first = *prototype;
        }
    return false;
}

KernelsMerge::Kernel &KernelsMerge::kernel(const std::string &release, bool emulated,
                                           const std::string &probectl_version)
{
    auto found = std::ranges::find_if(
        kernels_, [&](const Kernel &k) { return k.column.release == release && k.column.emulated == emulated; });
    if (found == kernels_.end()) {
        Kernel added;
        added.column.release = release;
        added.column.emulated = emulated;
        kernels_.push_back(std::move(added));
        found = std::prev(kernels_.end());
    }
    if (found->column.probectl_version.empty())
        found->column.probectl_version = probectl_version;
    return *found;
}

Expected<KernelsMerge::Kernel *> KernelsMerge::one_per_kernel(const std::string &release, bool emulated,
                                                              std::string Kernel::*given, std::string_view what,
                                                              const std::string &source)
{
    Kernel &kernel = this->kernel(release, emulated, "");
    if (const std::string &first = kernel.*given; !first.empty())
        return fail(ErrorKind::bad_file,
                    fmt::format("{}: a second {} on {} (the first: {})", source, what, release, first),
                    fmt::format("give one {} per kernel", what));
    kernel.*given = source;
    kernel.column.sources.push_back(source);
    return &kernel;
}

Expected<void> KernelsMerge::add(const Recording &recording, const std::string &source)
{
    if (!recording.execs_known)
        return fail(
            ErrorKind::bad_file,
            fmt::format("{}: its occurrences were inferred from a command's own calls, which another "
                        "kernel's run would number differently",
                        source),
            "put side by side recordings of the built-in scenarios (probectl compare --record, no command)");
    Kernel &kernel = this->kernel(recording.kernel, recording.emulated, recording.probectl_version);
    if (auto first = kernel.event_sources.find(recording.event); first != kernel.event_sources.end())
        return fail(ErrorKind::bad_file,
                    fmt::format("{}: a second recording of {} on {} (the first: {})", source, recording.event,
                                recording.kernel, first->second),
                    "give one recording per kernel and event");
    kernel.event_sources[recording.event] = source;
    kernel.column.sources.push_back(source);
    const auto index = static_cast<std::size_t>(&kernel - kernels_.data());
    if (std::ranges::find(events_, recording.event) == events_.end())
        events_.push_back(recording.event);
    if (const auto &facts = recording.facts) {
        fold_facts(kernel, *facts, true);
        for (const auto &[function, prototype] : facts->prototypes)
            prototypes_[function].try_emplace(index, prototype);
    }

    const Report report = build_report(recording);
    for (const auto &hook : report.hooks)
        fold_support(hook.run.name, index,
                     hook.run.attached ? ""
                                       : (hook.run.not_attached.empty() ? "not attached" : hook.run.not_attached));
    for (const auto &exec : report.execs) {
        const auto occurrence = std::tuple{recording.event, exec.exec.id};
        if (std::ranges::find(occurrence_order_, occurrence) == occurrence_order_.end())
            occurrence_order_.push_back(occurrence);
        fold_fields(recording.event, exec, report, index);
        for (std::size_t i = 0; i < report.hooks.size() && i < exec.coverage.size(); i++) {
            const HookRun &run = report.hooks[i].run;
            RowData &row = rows_[{recording.event, exec.exec.id, run.name}];
            row.scenario = exec.exec.scenario;
            row.cells[index] = {run.attached, exec.coverage[i].count,
                                run.attached               ? exec.coverage[i].cause
                                : run.not_attached.empty() ? "not attached"
                                                           : run.not_attached};
        }
    }
    return {};
}

namespace {

constexpr std::string_view kInputs =
    "give files written by probectl compare --record, bench --json or doctor --json";

// The median of a tier's figure ({"min", "median", "max"}), if the row has it.
std::optional<double> median_of(const nlohmann::json &row, const char *key)
{
    if (!row.contains(key) || !row.at(key).is_object() || !row.at(key).contains("median"))
        return std::nullopt;
    const auto &median = row.at(key).at("median");
    return median.is_number() ? std::optional{median.get<double>()} : std::nullopt;
}

// Each hook's row of one tier, by name.
template <class Fold> void each_hook(const nlohmann::json &results, const char *tier, Fold fold)
{
    if (!results.contains(tier) || !results.at(tier).contains("hooks"))
        return;
    for (const auto &row : results.at(tier).at("hooks"))
        fold(row.at("hook").get<std::string>(), row);
}

}  // namespace

Expected<void> KernelsMerge::add_bench(const nlohmann::json &results, const std::string &source)
{
    std::string release;
    bool emulated = false, quick = false;
    std::map<std::string, CostCell> costs;
    std::vector<std::string> order;  // the hooks as the results list them (the registry's order)
    const auto cost_of = [&](const std::string &hook) -> CostCell & {
        if (std::ranges::find(order, hook) == order.end())
            order.push_back(hook);
        return costs[hook];
    };
    try {
        const auto &environment = results.at("environment");
        release = environment.at("kernel").get<std::string>();
        emulated = environment.at("emulated").get<bool>();
        quick = results.at("quick").get<bool>();
        each_hook(results, "micro", [&](const std::string &hook, const nlohmann::json &row) {
            cost_of(hook).call_added_ns = median_of(row, "added_ns");
            if (row.contains("not_measured"))
                cost_of(hook).not_measured = row.at("not_measured").get<std::string>();
        });
        each_hook(results, "exec", [&](const std::string &hook, const nlohmann::json &row) {
            cost_of(hook).exec_added_ns = median_of(row, "added_ns");
            if (row.contains("not_measured") && cost_of(hook).not_measured.empty())
                cost_of(hook).not_measured = row.at("not_measured").get<std::string>();
        });
        each_hook(results, "startup", [&](const std::string &hook, const nlohmann::json &row) {
            const auto open = median_of(row, "open_ms"), load = median_of(row, "load_ms"),
                       attach = median_of(row, "attach_ms");
            if (open && load && attach)
                cost_of(hook).attach_ms = *open + *load + *attach;
        });
    } catch (const std::exception &e) {
        return fail(ErrorKind::bad_file,
                    fmt::format("{}: not the results of probectl bench --json: {}", source, e.what()),
                    std::string(kInputs));
    }
    auto claimed = one_per_kernel(release, emulated, &Kernel::bench_source, "bench run", source);
    if (!claimed)
        return std::unexpected(claimed.error());
    Kernel &kernel = **claimed;
    kernel.column.bench_quick = quick;
    for (auto &[hook, cost] : costs)
        if (cost.call_added_ns || cost.exec_added_ns || cost.attach_ms)
            cost.not_measured.clear();
    for (const auto &hook : order)
        if (std::ranges::find(hooks_, hook) == hooks_.end())
            hooks_.push_back(hook);
    kernel.costs = std::move(costs);
    return {};
}

// A hook that took part in any recording of a kernel (or that its doctor says works) works there;
// else the first reason given.
void KernelsMerge::fold_support(const std::string &hook, std::size_t kernel, const std::string &why_not)
{
    if (std::ranges::find(hooks_, hook) == hooks_.end())
        hooks_.push_back(hook);
    auto &known = support_[hook];
    if (auto it = known.find(kernel); it == known.end() || why_not.empty())
        known[kernel] = why_not;
}

// A kernel's facts, whatever order its files come in: a recording's over a doctor report's (which
// may have run where the config was unreadable), and each option from any file that has it.
void KernelsMerge::fold_facts(Kernel &kernel, const KernelFacts &facts, bool from_recording)
{
    if (!kernel.column.facts) {
        kernel.column.facts = facts;
        kernel.facts_from_recording = from_recording;
    } else {
        KernelFacts &have = *kernel.column.facts;
        const bool prefer = from_recording && !kernel.facts_from_recording;
        for (const auto &[option, value] : facts.config)
            if (prefer || !have.config.contains(option))
                have.config[option] = value;
        if (have.config_source.empty() || (prefer && !facts.config_source.empty()))
            have.config_source = facts.config_source;
        if (prefer) {
            have.btf = facts.btf;
            kernel.facts_from_recording = true;
        }
    }
    for (const auto &[option, value] : facts.config)
        if (std::ranges::find(config_options_, option) == config_options_.end())
            config_options_.push_back(option);
}

Expected<void> KernelsMerge::add_doctor(const nlohmann::json &doctor, const std::string &source)
{
    std::string release;
    bool emulated = false;
    KernelFacts facts;
    std::vector<std::pair<std::string, std::string>> hooks;  // hook -> "" or why not
    try {
        release = doctor.at("kernel").get<std::string>();
        emulated = doctor.at("emulated").get<bool>();
        facts.btf = doctor.at("btf").get<bool>();
        if (doctor.at("config_source").is_string())
            facts.config_source = doctor.at("config_source").get<std::string>();
        if (doctor.contains("config"))
            for (const auto &[option, value] : doctor.at("config").items())
                if (value.is_string())  // null: the config was unreadable
                    facts.config[option] = value.get<std::string>();
        for (const auto &hook : doctor.at("hooks"))
            hooks.emplace_back(hook.at("hook").get<std::string>(),
                               hook.at("works").get<bool>()
                                   ? ""
                                   : "not supported on this kernel: " + hook.at("reason").get<std::string>());
    } catch (const std::exception &e) {
        return fail(ErrorKind::bad_file,
                    fmt::format("{}: not the output of probectl doctor --json: {}", source, e.what()),
                    std::string(kInputs));
    }
    auto claimed = one_per_kernel(release, emulated, &Kernel::doctor_source, "doctor report", source);
    if (!claimed)
        return std::unexpected(claimed.error());
    Kernel &kernel = **claimed;
    fold_facts(kernel, facts, false);
    const auto index = static_cast<std::size_t>(&kernel - kernels_.data());
    for (const auto &[hook, why_not] : hooks)
        fold_support(hook, index, why_not);
    return {};
}

// The comparable fields of one occurrence, for each hook that saw it.
void KernelsMerge::fold_fields(const std::string &event, const ExecReport &exec, const Report &report,
                               std::size_t kernel)
{
    static constexpr std::string_view kComparable[] = {"retval", "ret", "filename", "argv"};
    for (std::size_t i = 0; i < report.hooks.size() && i < exec.coverage.size(); i++) {
        if (exec.coverage[i].count == 0)
            continue;
        const std::string &hook = report.hooks[i].run.name;
        for (const std::string_view name : kComparable) {
            // The report lists a field only where some hook filled it: absent, this hook did not.
            std::vector<std::string> values;
            for (const auto &field : exec.fields)
                if (field.field == name)
                    for (const auto &value : field.values)
                        if (value.hook == hook && std::ranges::find(values, value.value) == values.end())
                            values.push_back(value.value);
            std::ranges::sort(values);  // the same values in another order are the same
            fields_[{event, exec.exec.id, hook, std::string(name)}][kernel] =
                fmt::format("{}", fmt::join(values, " / "));
        }
    }
}

KernelsReport KernelsMerge::report() const
{
    KernelsReport out;
    std::vector<std::size_t> order(kernels_.size());  // column -> index in kernels_
    std::iota(order.begin(), order.end(), 0);
    std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
        return release_before(kernels_[a].column.release, kernels_[b].column.release);
    });
    for (const std::size_t k : order) {
        out.kernels.push_back(kernels_[k].column);
        out.kernels.back().name = short_name(out.kernels.back().release);
    }
    // Two kernels of one version (a distribution's and a custom build) are told apart by release.
    for (auto &k : out.kernels)
        if (std::ranges::count(out.kernels, short_name(k.release),
                               [](const KernelColumn &c) { return short_name(c.release); }) > 1)
            k.name = k.release + (k.emulated ? " (emulated)" : "");
    out.events = events_;

    for (const auto &[event, id] : occurrence_order_)
        for (const auto &hook : hooks_) {
            const auto found = rows_.find({event, id, hook});
            if (found == rows_.end())
                continue;
            KernelsRow row{event, id, found->second.scenario, hook, {}};
            for (const std::size_t k : order) {
                const auto cell = found->second.cells.find(k);
                row.kernels.push_back(cell == found->second.cells.end() ? std::nullopt
                                                                        : std::optional{cell->second});
            }
            out.rows.push_back(std::move(row));
        }
    std::ranges::stable_partition(out.rows, [](const KernelsRow &row) { return row.differs(); });

    for (const auto &[event, id] : occurrence_order_)
        for (const auto &hook : hooks_)
            for (auto it = fields_.lower_bound({event, id, hook, ""});
                 it != fields_.end() && std::get<0>(it->first) == event && std::get<1>(it->first) == id &&
                 std::get<2>(it->first) == hook;
                 ++it) {
                FieldRow row{event, id, hook, std::get<3>(it->first), {}};
                for (const std::size_t k : order) {
                    const auto value = it->second.find(k);
                    row.kernels.push_back(value == it->second.end() ? std::nullopt : std::optional{value->second});
                }
                if (row.differs())
                    out.fields.push_back(std::move(row));
            }

    for (const auto &[function, by_kernel] : prototypes_) {
        PrototypeRow row{function, {}};
        for (const std::size_t k : order) {
            const auto prototype = by_kernel.find(k);
            row.kernels.push_back(prototype == by_kernel.end() ? std::nullopt : std::optional{prototype->second});
        }
        out.prototypes.push_back(std::move(row));
    }
    std::ranges::stable_partition(out.prototypes, [](const PrototypeRow &row) { return row.differs(); });
    out.config_options = config_options_;

    for (const auto &hook : hooks_) {
        CostRow row{hook, {}};
        bool any = false;
        for (const std::size_t k : order) {
            const auto cost = kernels_[k].costs.find(hook);
            any = any || cost != kernels_[k].costs.end();
            row.kernels.push_back(cost == kernels_[k].costs.end() ? std::nullopt : std::optional{cost->second});
        }
        if (any)
            out.costs.push_back(std::move(row));
    }

    for (const auto &hook : hooks_) {
        const auto found = support_.find(hook);
        if (found == support_.end())  // known from bench results alone
            continue;
        SupportRow row{hook, {}, std::nullopt};
        const auto &known = found->second;
        for (std::size_t column = 0; column < order.size(); column++) {
            const auto reason = known.find(order[column]);
            row.kernels.push_back(reason == known.end() ? std::nullopt : std::optional{reason->second});
            if (reason != known.end() && reason->second.empty() && !row.first_working)
                row.first_working = column;
        }
        out.support.push_back(std::move(row));
    }
    return out;
}

nlohmann::json kernels_to_json(const KernelsReport &report)
{
    using nlohmann::json;
    json kernels = json::array();
    for (const auto &k : report.kernels)
        kernels.push_back(
            {{"name", to_valid_utf8(k.name)},
             {"release", to_valid_utf8(k.release)},
             {"emulated", k.emulated},
             {"probectl_version", to_valid_utf8(k.probectl_version)},
             {"sources",
              [&] {
                  json sources = json::array();
                  for (const auto &source : k.sources)
                      sources.push_back(to_valid_utf8(source));
                  return sources;
              }()},
             {"bench_quick", k.bench_quick},
             {"config_source", k.facts ? json(to_valid_utf8(k.facts->config_source)) : json(nullptr)},
             {"btf", k.facts ? json(k.facts->btf) : json(nullptr)},
             {"config", [&] {
                  json config = json::object();
                  if (k.facts)
                      for (const auto &[option, value] : k.facts->config)
                          config[to_valid_utf8(option)] = to_valid_utf8(value);
                  return config;
              }()}});
    json support = json::array();
    for (const auto &row : report.support) {
        json cells = json::array();
        for (const auto &reason : row.kernels)
            cells.push_back(reason ? json{{"took_part", reason->empty()}, {"why_not", to_valid_utf8(*reason)}}
                                   : json(nullptr));
        support.push_back(
            {{"hook", row.hook},
             {"kernels", std::move(cells)},
             {"first_working",
              row.first_working ? json(to_valid_utf8(report.kernels[*row.first_working].name)) : json(nullptr)}});
    }
    json rows = json::array();
    for (const auto &row : report.rows) {
        json cells = json::array();
        for (const auto &cell : row.kernels)
            cells.push_back(cell ? json{{"took_part", cell->took_part},
                                        {"count", cell->count},
                                        {"cause", to_valid_utf8(cell->cause)}}
                                 : json(nullptr));
        rows.push_back({{"event", row.event},
                        {"occurrence", row.occurrence},
                        {"scenario", row.scenario},
                        {"hook", row.hook},
                        {"differs", row.differs()},
                        {"kernels", std::move(cells)}});
    }
    json fields = json::array();
    for (const auto &row : report.fields) {
        json values = json::array();
        for (const auto &value : row.kernels)
            values.push_back(value ? json(to_valid_utf8(*value)) : json(nullptr));
        fields.push_back({{"event", row.event},
                          {"occurrence", row.occurrence},
                          {"hook", row.hook},
                          {"field", row.field},
                          {"kernels", std::move(values)}});
    }
    json prototypes = json::array();
    for (const auto &row : report.prototypes) {
        json values = json::array();
        for (const auto &value : row.kernels)
            values.push_back(value ? json(to_valid_utf8(*value)) : json(nullptr));
        prototypes.push_back({{"function", to_valid_utf8(row.function)},
                              {"differs", row.differs()},
                              {"kernels", std::move(values)}});
    }
    json costs = json::array();
    for (const auto &row : report.costs) {
        json cells = json::array();
        for (const auto &cell : row.kernels) {
            const auto figure = [](const std::optional<double> &value) {
                return value ? json(*value) : json(nullptr);
            };
            cells.push_back(cell ? json{{"call_added_ns", figure(cell->call_added_ns)},
                                        {"exec_added_ns", figure(cell->exec_added_ns)},
                                        {"attach_ms", figure(cell->attach_ms)},
                                        {"not_measured", to_valid_utf8(cell->not_measured)}}
                                 : json(nullptr));
        }
        costs.push_back({{"hook", to_valid_utf8(row.hook)}, {"kernels", std::move(cells)}});
    }
    json events = json::array();
    for (const auto &event : report.events)
        events.push_back(to_valid_utf8(event));
    return {{"probectl_kernels", 2},
            {"kernels", std::move(kernels)},
            {"events", std::move(events)},
            {"support", std::move(support)},
            {"rows", std::move(rows)},
            {"fields", std::move(fields)},
            {"prototypes", std::move(prototypes)},
            {"costs", std::move(costs)}};
}

}  // namespace probectl::compare
