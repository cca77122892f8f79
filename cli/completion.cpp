#include "cli/completion.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "attach/event_catalogue.h"
#include "attach/registry.h"
#include "cli/commands.h"
#include "labs/lab.h"
#include "loader/syscall_numbers.h"

namespace probectl {
namespace {

// Words go into the script unquoted: only those that need no quoting in bash.
bool plain_word(const std::string &word)
{
    return !word.empty() && std::ranges::all_of(word, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-' || c == '.' || c == ':';
    });
}

std::string shell_variable(const std::string &type_name)
{
    std::string name = "_probectl_" + type_name;
    std::ranges::replace_if(
        name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
    return name;
}

bool takes_value(const CLI::Option *option)
{
    return option->get_items_expected_min() > 0;
}

std::vector<std::string> option_names(const CLI::Option *option)
{
    std::vector<std::string> names;
    for (const auto &name : option->get_snames())
        names.push_back("-" + name);
    for (const auto &name : option->get_lnames())
        names.push_back("--" + name);
    return names;
}

// The options a command takes: its own, and (as CLI11's fallthrough lets it) probectl's.
std::vector<const CLI::Option *> options_of(const CLI::App &app, const CLI::App *command)
{
    auto named = [](const CLI::Option *option) { return option->nonpositional(); };
    std::vector<const CLI::Option *> options = app.get_options(named);
    if (command != nullptr)
        for (const CLI::Option *option : command->get_options(named))
            options.push_back(option);
    return options;
}

std::vector<const CLI::App *> commands_of(const CLI::App &app)
{
    return app.get_subcommands([](const CLI::App *) { return true; });
}

class ScriptWriter {
public:
    ScriptWriter(const CLI::App &app, const std::vector<CompletionWords> &values) : app_(app)
    {
        for (const auto &value : values)
            values_.emplace(value.type_name, &value);
    }

    std::string write()
    {
        out_ +=
            fmt::format("# bash completion for probectl, written by `probectl completion bash` from its command\n"
                        "# line: commands, options, and the values of those whose type it knows.\n"
                        "# Installed as /usr/share/bash-completion/completions/probectl; or, for this shell:\n"
                        "#   source <(probectl completion bash)\n\n");
        write_words();
        write_value_function();
        write_main_function();
        out_ += "complete -F _probectl probectl\n";
        return out_;
    }

private:
    void write_words()
    {
        for (const auto &[type_name, value] : values_) {
            std::vector<std::string> words;
            std::ranges::copy_if(value->words, std::back_inserter(words), plain_word);
            out_ += fmt::format("{}='{}'\n", shell_variable(type_name), fmt::join(words, " "));
        }
        out_ += "\n";
    }

    // _probectl_value TYPE: COMPREPLY for a value of that type.
    void write_value_function()
    {
        out_ += "_probectl_value()\n{\n"
                "    local cur=$2 prefix=\"\" words\n"
                "    case $1 in\n"
                "    FILE) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
                "    DIR) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
                "    COMMAND) COMPREPLY=($(compgen -c -- \"$cur\")); return ;;\n";
        for (const auto &[type_name, value] : values_) {
            out_ += fmt::format("    {}) words=${}", type_name, shell_variable(type_name));
            if (value->comma_separated)  // no space after an element: a comma may follow
                out_ += "; prefix=${cur%\"${cur##*,}\"}; cur=${cur##*,}; compopt -o nospace 2>/dev/null";
            out_ += " ;;\n";
        }
        out_ += "    *) COMPREPLY=(); return ;;\n"
                "    esac\n"
                "    COMPREPLY=($(compgen -P \"$prefix\" -W \"$words\" -- \"$cur\"))\n"
                "}\n\n";
    }

    // The options that take a value, as case patterns "command:option" (command empty before it).
    void write_value_options(const std::string &pattern_of_value)
    {
        std::map<std::string, std::vector<std::string>> by_type;  // type -> patterns
        auto add = [&](const std::string &command, const CLI::Option *option) {
            if (!takes_value(option))
                return;
            for (const auto &name : option_names(option))
                by_type[option->get_type_name()].push_back(fmt::format("\"{}:{}\"", command, name));
        };
        for (const CLI::Option *option : options_of(app_, nullptr))
            add("", option);
        for (const CLI::App *command : commands_of(app_))
            for (const CLI::Option *option : options_of(app_, command))
                add(command->get_name(), option);
        for (const auto &[type_name, patterns] : by_type)
            out_ += fmt::format(fmt::runtime(pattern_of_value), fmt::join(patterns, "|"), type_name);
    }

    // One pattern: every option that takes a value, whose value is skipped.
    void write_skipped_values()
    {
        std::vector<std::string> patterns;
        auto add = [&](const std::string &command, const CLI::Option *option) {
            if (takes_value(option))
                for (const auto &name : option_names(option))
                    patterns.push_back(fmt::format("\"{}:{}\"", command, name));
        };
        for (const CLI::Option *option : options_of(app_, nullptr))
            add("", option);
        for (const CLI::App *command : commands_of(app_))
            for (const CLI::Option *option : options_of(app_, command))
                add(command->get_name(), option);
        out_ += fmt::format("        {}) skip=1; continue ;;\n", fmt::join(patterns, "|"));
    }

    void write_main_function()
    {
        std::vector<std::string> commands;
        for (const CLI::App *command : commands_of(app_))
            commands.push_back(command->get_name());
        commands.push_back("help");

        out_ += "_probectl()\n{\n"
                "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                "    local command=\"\" positional=0 skip=0 word i\n"
                "    [[ $prev == = ]] && prev=${COMP_WORDS[COMP_CWORD-2]}\n"
                "    [[ $cur == = ]] && cur=\"\"\n"
                "    # After a redirection, a file; after the ':' of libc:malloc or 0:str, nothing.\n"
                "    if [[ $prev == *[\\<\\>] ]]; then _probectl_value FILE \"$cur\"; return; fi\n"
                "    if [[ $cur == : || $prev == : ]]; then COMPREPLY=(); return; fi\n"
                "    # The words before this one: the command, how many positionals, and an option's value.\n"
                "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
                "        word=${COMP_WORDS[i]}\n"
                "        # bash splits --option=value at '=' and NAME:NAME at ':': the word after either is\n"
                "        # part of the one before; a redirection's file is no argument\n"
                "        [[ $word == = || $word == : || $word == *[\\<\\>] ]] && { skip=1; continue; }\n"
                "        if ((skip)); then skip=0; continue; fi\n"
                "        if [[ $word == -- ]]; then  # the command to run, then its arguments\n"
                "            if ((i == COMP_CWORD - 1)); then _probectl_value COMMAND \"$cur\"\n"
                "            else _probectl_value FILE \"$cur\"; fi\n"
                "            return\n"
                "        fi\n"
                "        case \"$command:$word\" in\n";
        write_skipped_values();
        out_ += "        esac\n"
                "        [[ $word == -* ]] && continue\n"
                "        if [[ -z $command ]]; then command=$word; else ((positional++)); fi\n"
                "    done\n"
                "    case \"$command:$prev\" in\n";
        write_value_options("    {}) _probectl_value {} \"$cur\"; return ;;\n");
        out_ += "    esac\n"
                "    if [[ $cur == -* ]]; then\n"
                "        case $command in\n";
        write_option_words("", nullptr);
        for (const CLI::App *command : commands_of(app_))
            write_option_words(command->get_name(), command);
        out_ += "        esac\n"
                "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
                "        return\n"
                "    fi\n"
                "    case \"$command:$positional\" in\n";
        out_ += fmt::format("    :0) COMPREPLY=($(compgen -W '{}' -- \"$cur\")) ;;\n", fmt::join(commands, " "));
        out_ += fmt::format("    help:0) COMPREPLY=($(compgen -W '{}' -- \"$cur\")) ;;\n",
                            fmt::join(commands.begin(), commands.end() - 1, " "));
        for (const CLI::App *command : commands_of(app_))
            write_positionals(*command);
        out_ += "    esac\n}\n\n";
    }

    void write_option_words(const std::string &name, const CLI::App *command)
    {
        std::vector<std::string> words;
        for (const CLI::Option *option : options_of(app_, command))
            for (const auto &option_name : option_names(option))
                words.push_back(option_name);
        if (command == nullptr)
            words.insert(words.end(), {"--version", "-h", "--help"});
        else
            words.insert(words.end(), {"-h", "--help"});
        std::ranges::sort(words);
        words.erase(std::ranges::unique(words).begin(), words.end());
        out_ +=
            fmt::format("        {}) local words='{}' ;;\n", name.empty() ? "\"\"" : name, fmt::join(words, " "));
    }

    // Each positional by its place; one that takes many values ("command...") takes every place
    // after its own.
    void write_positionals(const CLI::App &command)
    {
        int place = 0;
        for (const CLI::Option *positional :
             command.get_options([](const CLI::Option *o) { return !o->nonpositional(); })) {
            const std::string type_name = positional->get_type_name();
            const std::string action = values_.contains(type_name) || type_name == "FILE" || type_name == "DIR"
                                           ? fmt::format("_probectl_value {} \"$cur\"", type_name)
                                           : "COMPREPLY=()";
            const bool many = positional->get_items_expected_max() > 1;
            out_ +=
                fmt::format("    {}:{}) {} ;;\n", command.get_name(), many ? "*" : std::to_string(place), action);
            if (many)
                break;
            place++;
        }
    }

    const CLI::App &app_;
    std::map<std::string, const CompletionWords *> values_;
    std::string out_;
};

}  // namespace

std::vector<CompletionWords> completion_values()
{
    std::vector<std::string> hooks;
    for (const HookInfo *info : Registry::instance().infos())
        hooks.emplace_back(info->name);
    std::vector<std::string> events{"execve"};
    for (const auto &event : event_catalogue())
        events.emplace_back(event.name);
    for (const auto name : syscall_names())
        if (name != "execve")
            events.emplace_back(name);
    std::vector<std::string> labs;
    for (const auto &lab : lab::all_labs())
        labs.push_back(std::to_string(lab.number));
    return {{value_type::hook, hooks},
            {value_type::hooks, hooks, true},
            {value_type::target, events},
            {value_type::event, events},
            {value_type::tiers, bench_tiers(), true},
            {value_type::action,
             [&] {  // an action, or a lab's number (run it, then check it)
                 auto words = lab_actions();
                 words.insert(words.end(), labs.begin(), labs.end());
                 return words;
             }()},
            {value_type::lab, labs},
            {value_type::shell, {"bash"}}};
}

std::string bash_completion(const CLI::App &app, const std::vector<CompletionWords> &values)
{
    return ScriptWriter(app, values).write();
}

int run_completion(const CLI::App &app, const std::string &shell)
{
    if (shell != "bash")
        return report_error(Error{ErrorKind::usage, fmt::format("completion: no script for the shell '{}'", shell),
                                  "bash is the shell probectl writes one for: probectl completion bash"});
    std::fputs(bash_completion(app, completion_values()).c_str(), stdout);
    return 0;
}

}  // namespace probectl
