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

Expected<void> KernelsMerge::add(const Recording &recording, const std::string &source)
{
    if (!recording.execs_known)
        return fail(
            ErrorKind::bad_file,
            fmt::format("{}: its occurrences were inferred from a command's own calls, which another "
                        "kernel's run would number differently",
                        source),
            "put side by side recordings of the built-in scenarios (probectl compare --record, no command)");
    auto kernel = std::ranges::find_if(kernels_, [&](const Kernel &k) {
        return k.column.release == recording.kernel && k.column.emulated == recording.emulated;
    });
    if (kernel == kernels_.end()) {
        Kernel added;
        added.column.release = recording.kernel;
        added.column.emulated = recording.emulated;
        added.column.probectl_version = recording.probectl_version;
        kernels_.push_back(std::move(added));
        kernel = std::prev(kernels_.end());
    }
    if (auto first = kernel->event_sources.find(recording.event); first != kernel->event_sources.end())
        return fail(ErrorKind::bad_file,
                    fmt::format("{}: a second recording of {} on {} (the first: {})", source, recording.event,
                                recording.kernel, first->second),
                    "give one recording per kernel and event");
    kernel->event_sources[recording.event] = source;
    kernel->column.sources.push_back(source);
    if (kernel->column.probectl_version.empty())
        kernel->column.probectl_version = recording.probectl_version;
    const auto index = static_cast<std::size_t>(kernel - kernels_.begin());
    if (std::ranges::find(events_, recording.event) == events_.end())
        events_.push_back(recording.event);

    const Report report = build_report(recording);
    for (const auto &hook : report.hooks) {
        if (std::ranges::find(hooks_, hook.run.name) == hooks_.end())
            hooks_.push_back(hook.run.name);
        // A hook that took part in any recording of this kernel works here; else the first reason.
        auto &known = support_[hook.run.name];
        const std::string why_not =
            hook.run.attached ? "" : (hook.run.not_attached.empty() ? "not attached" : hook.run.not_attached);
        if (auto it = known.find(index); it == known.end() || why_not.empty())
            known[index] = why_not;
    }
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

    for (const auto &hook : hooks_) {
        SupportRow row{hook, {}, std::nullopt};
        const auto &known = support_.at(hook);
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
        kernels.push_back({{"name", to_valid_utf8(k.name)},
                           {"release", to_valid_utf8(k.release)},
                           {"emulated", k.emulated},
                           {"probectl_version", to_valid_utf8(k.probectl_version)},
                           {"sources", [&] {
                                json sources = json::array();
                                for (const auto &source : k.sources)
                                    sources.push_back(to_valid_utf8(source));
                                return sources;
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
    return {{"probectl_kernels", 1},         {"kernels", std::move(kernels)}, {"events", report.events},
            {"support", std::move(support)}, {"rows", std::move(rows)},       {"fields", std::move(fields)}};
}

}  // namespace probectl::compare
