#include "cli/usage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>

#include "loader/spelling.h"

namespace probectl {
namespace {

// The options before the command that take a value: their value is no command.
bool takes_value(const CLI::App &app, const std::string &arg)
{
    const CLI::Option *option = arg.starts_with("-") ? app.get_option_no_throw(arg) : nullptr;
    return option != nullptr && option->get_items_expected_min() > 0 && arg.find('=') == std::string::npos;
}

// Where the command's word is: the first argument that is no option of probectl's own, nor an
// option's value.
std::optional<std::size_t> command_word(const CLI::App &app, const std::vector<std::string> &args)
{
    for (std::size_t i = 0; i < args.size(); i++) {
        if (args[i] == "--")
            return std::nullopt;
        if (!args[i].starts_with("-"))
            return i;
        if (takes_value(app, args[i]))
            i++;
    }
    return std::nullopt;
}

std::vector<std::string> command_names(const CLI::App &app)
{
    std::vector<std::string> names;
    for (const CLI::App *command : app.get_subcommands([](const CLI::App *) { return true; }))
        names.push_back(command->get_name());
    return names;
}

// "--count", "-t": every name an option of this command (or probectl's own) answers to.
std::vector<std::string> option_names(const CLI::App &command)
{
    std::vector<std::string> names;
    for (const CLI::App *app : {&command, command.get_parent()}) {
        if (app == nullptr)
            continue;
        for (const CLI::Option *option : app->get_options()) {
            for (const auto &name : option->get_lnames())
                names.push_back("--" + name);
            for (const auto &name : option->get_snames())
                names.push_back("-" + name);
        }
    }
    return names;
}

}  // namespace

std::vector<std::string> with_help_spelled_out(std::vector<std::string> args)
{
    const auto help = std::ranges::find(args, "help");
    if (help == args.end() ||
        std::any_of(args.begin(), help, [](const auto &arg) { return !arg.starts_with("-"); }))
        return args;  // "help" as a command's argument (probectl explain help) is that
    const auto after = args.erase(help);
    if (after == args.end() || after->starts_with("-"))
        args.insert(after, "--help");
    else
        args.insert(after + 1, "--help");
    return args;
}

Error usage_error(const CLI::App &app, const std::vector<std::string> &args, const CLI::ParseError &refused)
{
    const std::string commands = fmt::format("{}", fmt::join(command_names(app), ", "));
    const auto word = command_word(app, args);
    if (!word)
        return Error{ErrorKind::usage, "no command given",
                     fmt::format("probectl COMMAND, one of: {}; probectl --help says what each does", commands)};
    const std::string &name = args[*word];
    const CLI::App *command = nullptr;
    for (const CLI::App *candidate : app.get_subcommands([](const CLI::App *) { return true; }))
        if (candidate->get_name() == name)
            command = candidate;
    if (command == nullptr) {
        NearestNames nearest(name);
        for (const auto &known : command_names(app))
            nearest.offer(known);
        return Error{ErrorKind::usage, fmt::format("unknown command '{}'", name),
                     fmt::format("{}the commands are {}; probectl --help says what each does",
                                 did_you_mean(nearest.best()), commands)};
    }
    const std::string help = fmt::format("probectl {} --help lists its options", name);
    auto known = [&](const std::string &option) {
        return command->get_option_no_throw(option) != nullptr || app.get_option_no_throw(option) != nullptr;
    };
    // An option this command does not have, when that is what CLI11 refused: the nearest it has.
    for (std::size_t i = *word + 1;
         dynamic_cast<const CLI::ExtrasError *>(&refused) != nullptr && i < args.size() && args[i] != "--"; i++) {
        const std::string option = args[i].substr(0, args[i].find('='));
        if (!option.starts_with("-") || option == "-" || known(option))
            continue;
        // -xT (two flags), -n5 (a value attached): the first letter is an option of its own
        if (!option.starts_with("--") && known(option.substr(0, 2)))
            continue;
        NearestNames nearest(option);
        for (const auto &candidate : option_names(*command))
            nearest.offer(candidate);
        return Error{ErrorKind::usage, fmt::format("probectl {} has no option '{}'", name, option),
                     did_you_mean(nearest.best()) + help};
    }
    std::string what = refused.what();
    if (!what.empty() && what.back() == '.')
        what.pop_back();
    return Error{ErrorKind::usage, fmt::format("probectl {}: {}", name, what), help};
}

}  // namespace probectl
