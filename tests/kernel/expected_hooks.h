// What the kernel tests expect of each hook type: one row per hook, written out here rather than
// taken from probectl's own tables, and what the running kernel should support, found without
// probectl's support probing (the kernel config, securityfs, a two-instruction program of the
// test's own). A registered hook type without a row fails every test that asks for it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace probectl::test {

// Where a hook stands relative to an exec, at its attach point for the execve target.
enum class Place {
    syscall_entry,  // at execve's entry, on execve only: its tracepoint, ksyscall, libc's execve (uprobe)
    user_return,    // when libc's execve returns (uretprobe): only a failed exec returns
    post_exec,      // after the exec, at sched_process_exec (tp_btf, raw_tp)
    kernel_entry,   // on entry to the exec path's kernel function, bprm_execve (kprobe, fentry)
    kernel_return,  // on its return (kretprobe, fexit)
    binary_check,   // the LSM check of each binary about to run (bprm_check_security): a script's
                    // interpreter is checked too, and an exec whose file was not found never is
    exec_path,      // every exec-path function at once (kprobe.multi): an event at each it passes,
                    // bprm_execve and begin_new_exec among them when the exec succeeds
};

// How a hook's program is attached: perf_event_paranoid governs perf events, and the sandboxed
// development kernel refuses BPF trampolines.
enum class Attachment { perf_event, trampoline, bpf_link };

struct ExpectedHook {
    std::string_view name;
    Place place;
    bool filename;  // its events carry the exec's filename
    bool argv;      // and its argument vector
    Attachment attachment;
};

// The row of this hook type; FAILs the test when there is none.
const ExpectedHook &expected_hook(std::string_view hook);

// The reason probectl must give when this kernel lacks the hook type; nullopt when the kernel has it.
std::optional<std::string> expected_unsupported_reason(std::string_view hook);

// Before 6.x moved the open into alloc_bprm(), bprm_execve(bprm, fd, filename, flags) opened the
// file itself, so an exec whose open failed (ENOENT, EACCES) still passed through it. Read from BTF.
bool exec_path_function_sees_failed_open();

}  // namespace probectl::test
