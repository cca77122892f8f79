// probectl lab: list, show, run and check the teaching labs (labs/, docs/labs/).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "attach/registry.h"
#include "attach/support.h"
#include "cli/commands.h"
#include "labs/exercise.h"
#include "labs/lab.h"
#include "loader/event_format.h"
#include "loader/kernel_facts.h"
#include "loader/text.h"

namespace probectl {
namespace {

constexpr std::string_view kActions[] = {"list", "show", "run", "check", "starter"};

std::string numbers()
{
    std::string out;
    for (const auto &lab : lab::all_labs())
        out += (out.empty() ? "" : ", ") + std::to_string(lab.number);
    return out;
}

Expected<const lab::Lab *> pick(const std::optional<int> &number, std::string_view action)
{
    if (!number)
        return fail(ErrorKind::usage, fmt::format("lab {} needs a lab number", action),
                    fmt::format("e.g. probectl lab {} 1; the labs: {}", action, numbers()));
    if (const lab::Lab *found = lab::find_lab(*number))
        return found;
    return fail(ErrorKind::usage, fmt::format("there is no lab {}", *number),
                fmt::format("the labs are {} (probectl lab list)", numbers()));
}

std::string exercise_numbers()
{
    std::string out;
    for (const auto &exercise : lab::all_exercises())
        out += (out.empty() ? "" : ", ") + std::to_string(exercise.lab);
    return out;
}

Expected<const lab::Exercise *> pick_exercise(const lab::Lab &lab)
{
    if (const lab::Exercise *found = lab::find_exercise(lab.number))
        return found;
    return fail(ErrorKind::usage, fmt::format("lab {} has no coding exercise", lab.number),
                fmt::format("the labs with one are {}", exercise_numbers()));
}

constexpr std::size_t kWidth = 80;

int list(bool json)
{
    const bool privileged = require_bpf_privileges().has_value();
    nlohmann::json rows = nlohmann::json::array();
    for (const auto &lab : lab::all_labs()) {
        const bool exercise = lab::find_exercise(lab.number) != nullptr;
        // The hook types it uses that do not work here (tried only with the privileges to try them).
        nlohmann::json missing = nlohmann::json::array();
        std::vector<std::pair<std::string, std::vector<std::string_view>>> by_reason;  // in the lab's order
        std::vector<std::string_view> hooks = privileged ? lab.hooks : std::vector<std::string_view>{};
        if (const lab::Exercise *coding = lab::find_exercise(lab.number);
            privileged && coding && std::ranges::find(hooks, coding->hook) == hooks.end())
            hooks.push_back(coding->hook);
        for (const auto hook : hooks)
            if (const Support &support = hook_support(*Registry::instance().find(hook)); !support.supported) {
                missing.push_back({{"hook", hook}, {"reason", support.reason}});
                auto same = std::ranges::find(by_reason, support.reason, [](const auto &r) { return r.first; });
                if (same == by_reason.end())
                    by_reason.push_back({support.reason, {hook}});
                else
                    same->second.push_back(hook);
            }
        std::vector<std::string> missing_text;
        for (const auto &[reason, lacking] : by_reason)
            missing_text.push_back(fmt::format("{} ({})", fmt::join(lacking, ", "), reason));
        if (json) {
            nlohmann::json row{{"lab", lab.number},
                               {"title", lab.title},
                               {"text", fmt::format("docs/labs/{:02}-{}.md", lab.number, lab.slug)},
                               {"exercise", exercise}};
            if (privileged)  // without the privileges to try the hook types, nothing is known of them
                row["missing"] = missing;
            rows.push_back(row);
            continue;
        }
        std::string text = wrap(fmt::format("{}{}", lab.title, exercise ? " [coding exercise]" : ""), kWidth,
                                fmt::format("{:>3}  ", lab.number), "     ");
        if (!missing_text.empty())
            text += wrap(fmt::format("here without {}: it checks only what it can", fmt::join(missing_text, ", ")),
                         kWidth, "     ! ", "       ");
        std::fputs(text.c_str(), stdout);
    }
    if (json)
        std::fputs((json_line(rows) + "\n").c_str(), stdout);
    else if (!privileged)
        std::fputs("(as root, this list also says which labs this kernel cannot run in full)\n", stdout);
    return 0;
}

int show(const lab::Lab &lab)
{
    const std::string_view text = lab::lab_text(lab.number);
    if (text.empty())
        return report_error(Error{ErrorKind::internal, fmt::format("lab {} has no text in this build", lab.number),
                                  "rebuild probectl (bash scripts/build.sh)"});
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int run(const lab::Lab &lab)
{
    if (auto privileged = require_bpf_privileges(); !privileged)
        return report_error(privileged.error());
    auto shown = lab.run();
    if (!shown)
        return report_error(shown.error());
    std::fputs(fmt::format("Lab {}: {}\n\n{}", lab.number, lab.title, *shown).c_str(), stdout);
    return 0;
}

int starter(const lab::Lab &lab)
{
    auto exercise = pick_exercise(lab);
    if (!exercise)
        return report_error(exercise.error());
    const std::string path = lab::exercise_file(**exercise, false);
    const std::string text = read_text_file(path);
    if (text.empty())
        return report_error(
            Error{ErrorKind::bad_file, fmt::format("the starter {} cannot be read", path),
                  "reinstall probectl (it puts the exercises in PREFIX/share/probectl), or run a build "
                  "tree's probectl, whose source folder is still in place"});
    std::fputs(text.c_str(), stdout);
    return 0;
}

int check(const lab::Lab &lab, bool json, const std::string &solution)
{
    const lab::Exercise *exercise = nullptr;
    if (!solution.empty()) {
        auto found = pick_exercise(lab);
        if (!found)
            return report_error(found.error());
        exercise = *found;
    }
    if (auto privileged = require_bpf_privileges(); !privileged)
        return report_error(privileged.error());
    auto observations = exercise ? lab::check_solution(*exercise, solution) : lab.check();
    if (!observations)
        return report_error(observations.error());
    size_t failed = 0, unchecked = 0;
    nlohmann::json rows = nlohmann::json::array();
    std::string text = fmt::format("Lab {}: {}\n", lab.number, lab.title);
    for (const auto &o : *observations) {
        failed += o.outcome == lab::Outcome::failed;
        unchecked += o.outcome == lab::Outcome::cannot_check;
        rows.push_back({{"what", o.what}, {"outcome", lab::outcome_name(o.outcome)}, {"detail", o.detail}});
        text += fmt::format("  [{}] {}\n      {}\n", lab::outcome_name(o.outcome), o.what, o.detail);
    }
    if (json)
        std::fputs((json_line({{"lab", lab.number}, {"title", lab.title}, {"observations", rows}}) + "\n").c_str(),
                   stdout);
    else
        std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
    if (!observations->empty() && unchecked == observations->size())
        return report_error(
            Error{ErrorKind::unsupported,
                  fmt::format("lab {}: nothing was checked on this kernel: {}", lab.number,
                              observations->front().detail),
                  fmt::format("check it on a kernel where it works (from a source tree: "
                              "scripts/vm/run.sh --kernel bookworm -- build/probectl lab check {}{})",
                              lab.number, exercise ? " --solution " + solution : "")});
    if (failed && exercise)
        return report_error(Error{ErrorKind::lab_failed,
                                  fmt::format("lab {}: your solution {}: {} of {} observations did not hold",
                                              lab.number, solution, failed, observations->size()),
                                  fmt::format("see the first one that did not, above, and the exercise in "
                                              "docs/labs/{:02}-{}.md",
                                              lab.number, lab.slug)});
    if (failed)
        return report_error(
            Error{ErrorKind::lab_failed,
                  fmt::format("lab {}: {} of {} observations did not hold on this kernel", lab.number, failed,
                              observations->size()),
                  fmt::format("read docs/labs/{:02}-{}.md and what was seen above", lab.number, lab.slug)});
    return 0;
}

}  // namespace

std::vector<std::string> lab_actions()
{
    return {std::begin(kActions), std::end(kActions)};
}

int run_lab(const LabOptions &given)
{
    LabOptions options = given;
    int bare = 0;  // probectl lab 3: run it, then check it
    const auto &a = options.action;
    if (!a.empty() && std::from_chars(a.data(), a.data() + a.size(), bare).ec == std::errc() &&
        std::to_string(bare) == a) {
        options.number = bare;
        options.action = "lab";
    }
    if (options.action == "list")
        return list(options.json);
    if (options.action != "lab" && std::ranges::find(kActions, options.action) == std::end(kActions))
        return report_error(Error{ErrorKind::usage, fmt::format("lab: unknown action '{}'", options.action),
                                  "use list, show N, run N, check N, starter N, or a lab number"});
    if (!options.solution.empty() && options.action != "check")
        return report_error(Error{ErrorKind::usage, "--solution goes with lab check",
                                  "e.g. probectl lab check 9 --solution my.bpf.c"});
    auto lab = pick(options.number, options.action);
    if (!lab)
        return report_error(lab.error());
    if (options.action == "show")
        return show(**lab);
    if (options.action == "run")
        return run(**lab);
    if (options.action == "check")
        return check(**lab, options.json, options.solution);
    if (options.action == "starter")
        return starter(**lab);
    if (int status = run(**lab); status != 0)
        return status;
    std::fputs("\n", stdout);
    return check(**lab, options.json, {});
}

}  // namespace probectl
