#include "attach/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace probectl {
namespace {

constexpr std::string_view kForms =
    "use execve, a kernel function (bprm_execve), CATEGORY:TRACEPOINT (syscalls:sys_enter_execve), "
    "BINARY:SYMBOL (libc:execve), an LSM hook (bprm_check_security), or for kprobe.multi and uprobe.multi "
    "lists and globs ('bprm_*,begin_new_exec', libc:execve,execvp)";

// Names, and the globs and lists of hooks that take many at once (bprm_*, a,b).
bool is_symbol_char(char c)
{
    // '-': no kernel symbol has one, so that the events probectl declares (process-exit) are named apart
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '@' || c == '*' ||
           c == '?' || c == ',' || c == '-';
}

bool is_symbol(std::string_view text)
{
    return !text.empty() && std::ranges::all_of(text, is_symbol_char) &&
           !std::isdigit(static_cast<unsigned char>(text.front()));
}

bool is_printable(std::string_view text)
{
    return std::ranges::all_of(text,
                               [](char c) { return std::isprint(static_cast<unsigned char>(c)) && c != ' '; });
}

}  // namespace

Expected<Target> parse_target(std::string_view text)
{
    Target target;
    target.text = std::string(text);
    if (text.empty())
        return fail(ErrorKind::usage, "empty target", std::string(kForms));
    if (!is_printable(text))
        return fail(ErrorKind::usage, "target contains spaces or control characters", std::string(kForms));

    if (text == "execve" || text == "do_execve") {
        target.kind = Target::Kind::exec_event;
        target.right = std::string(text);
        target.named_do_execve = text == "do_execve";
        return target;
    }
    // The last colon splits: a binary path may itself hold one, a symbol never does.
    if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
        std::string_view left = text.substr(0, colon);
        std::string_view right = text.substr(colon + 1);
        if (left.empty() || !is_symbol(right))
            return fail(ErrorKind::usage, fmt::format("malformed target '{}'", text), std::string(kForms));
        target.kind = Target::Kind::qualified;
        target.left = std::string(left);
        target.right = std::string(right);
        return target;
    }
    if (!is_symbol(text))
        return fail(ErrorKind::usage, fmt::format("malformed target '{}'", text), std::string(kForms));
    target.kind = Target::Kind::name;
    target.right = std::string(text);
    return target;
}

}  // namespace probectl
