// Every syscall is an event that each hook type sees at its own attach point, found from the
// syscall table, kallsyms, tracefs and libc, with no code for any one syscall:
//   tracepoint                      syscalls:sys_enter_<name>
//   ksyscall                        <name>
//   kprobe, kretprobe, fentry,      the architecture's wrapper, __x64_sys_<name>, whose one argument
//   fexit, kprobe.multi             is the user's registers: the syscall's arguments are read there
//   tp_btf, raw_tp                  sys_enter, which sees every syscall: filtered by the number
//   uprobe, uretprobe, uprobe.multi libc's function of that name, where libc has one
//   lsm                             none: LSM hooks are not syscalls
// Each event reads the syscall's arguments as its sys_enter_<name> format names and types them.
#pragma once

#include "attach/resolve.h"
#include "loader/elf_symbols.h"
#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/kernel_facts.h"

#include <optional>
#include <string>
#include <string_view>

namespace probectl {

struct SyscallEvent {
    std::string name;         // as the syscall table and libc name it: openat, stat
    std::string kernel_name;  // as the kernel defines it (tracepoints, ksyscall): openat, newstat
    int number = -1;          // in this architecture's syscall table
    std::string wrapper;      // the kernel's entry for it: __x64_sys_openat, __x64_sys_newstat
};

// Where the architecture's syscall wrappers' names start: "__x64_sys_", "__arm64_sys_".
std::string_view syscall_wrapper_prefix();

// The syscall of that name, when this kernel has its wrapper (named as the table names the syscall,
// or, for the syscalls whose structures changed, with "new": stat's is __x64_sys_newstat); nullopt
// otherwise.
std::optional<SyscallEvent> find_syscall_event(std::string_view name, const KernelSymbols &symbols);

// libc's functions (the C library this process runs with), read once a process.
struct LibcFunctions {
    std::string path;
    ElfFunctions functions;
};
const Expected<LibcFunctions> &libc_functions();

// Whether this hook type sees the syscall on this kernel, or why not (ErrorKind::target_untraceable):
// the rules resolve_syscall_event applies, without resolving (probectl targets asks for hundreds).
Expected<void> syscall_hook_fits(const HookInfo &hook, const SyscallEvent &event, const KernelSymbols &symbols);

// Where this hook type sees the syscall, or why it cannot (ErrorKind::target_untraceable).
Expected<ResolvedTarget> resolve_syscall_event(const HookInfo &hook, const SyscallEvent &event,
                                               const KernelSymbols &symbols);

}  // namespace probectl
