// `probectl completion bash`: a bash completion script written from the command line's own
// declaration (CLI11's tree of commands and options), so that it cannot fall behind it. An option's
// value, or a positional, completes by the type name its --help shows: FILE and DIR from the
// filesystem, COMMAND from PATH, and the words given for the others (HOOK: the hook types).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace probectl {

struct CompletionWords {
    std::string type_name;           // as in --help: "HOOK"
    std::vector<std::string> words;  // what it can be: "kprobe", "fentry", ...
    bool comma_separated = false;    // a list: "kprobe,fen<TAB>" completes its last element
};

std::string bash_completion(const CLI::App &app, const std::vector<CompletionWords> &values);

// The type names probectl's options and positionals show, and complete by.
namespace value_type {
inline constexpr const char *file = "FILE";
inline constexpr const char *dir = "DIR";
inline constexpr const char *hook = "HOOK";      // a hook type
inline constexpr const char *hooks = "HOOKS";    // hook types, comma-separated
inline constexpr const char *target = "TARGET";  // an event, a function, CATEGORY:NAME, BINARY:SYMBOL
inline constexpr const char *event = "EVENT";    // execve, a syscall, a declared event
inline constexpr const char *tiers = "TIERS";    // bench's tiers, comma-separated
inline constexpr const char *action = "ACTION";  // lab's actions
inline constexpr const char *lab = "N";          // a lab's number
inline constexpr const char *shell = "SHELL";    // completion's shells
}  // namespace value_type

// The words of each type above: the registry's hook types, the events (execve, the declared ones,
// every syscall), bench's tiers, the labs.
std::vector<CompletionWords> completion_values();

// `probectl completion SHELL`: prints the script for SHELL (bash), or refuses another shell.
int run_completion(const CLI::App &app, const std::string &shell);

}  // namespace probectl
