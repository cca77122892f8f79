#include "tests/kernel/expected_hooks.h"

#include <catch2/catch.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "loader/kernel_facts.h"

namespace probectl::test {
namespace {

// fentry/fexit, lsm: can this kernel load a program of this type at all, on this BTF function?
// Asked with a two-instruction program of our own, so the answer does not come from the code under
// test.
std::optional<int> btf_program_load_errno(bpf_prog_type type, bpf_attach_type attach_type, const char *function)
{
    struct btf *btf = btf__load_vmlinux_btf();
    if (!btf)
        return ENOENT;
    const int btf_id = btf__find_by_name_kind(btf, function, BTF_KIND_FUNC);
    btf__free(btf);
    if (btf_id < 0)
        return std::nullopt;
    const bpf_insn program[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},  // r0 = 0
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                   // exit
    };
    bpf_prog_load_opts options{};
    options.sz = sizeof(options);
    options.expected_attach_type = attach_type;
    options.attach_btf_id = static_cast<__u32>(btf_id);
    int fd = bpf_prog_load(type, "kt_trial", "GPL", program, 2, &options);
    if (fd >= 0) {
        close(fd);
        return std::nullopt;
    }
    return errno;
}

// clang-format off
constexpr ExpectedHook kHooks[] = {
    // name        where on the exec path   filename argv   attached by
    {"kprobe",     Place::kernel_entry,     true,    false, Attachment::perf_event},
    {"kretprobe",  Place::kernel_return,    false,   false, Attachment::perf_event},
    {"fentry",     Place::kernel_entry,     true,    false, Attachment::trampoline},
    {"fexit",      Place::kernel_return,    true,    false, Attachment::trampoline},
    {"tracepoint", Place::syscall_entry,    true,    true,  Attachment::perf_event},
    {"tp_btf",     Place::post_exec,        true,    true,  Attachment::bpf_link},
    {"raw_tp",     Place::post_exec,        true,    true,  Attachment::bpf_link},
    {"uprobe",     Place::syscall_entry,    true,    true,  Attachment::perf_event},
    {"uretprobe",  Place::user_return,      false,   false, Attachment::perf_event},
    {"ksyscall",   Place::syscall_entry,    true,    true,  Attachment::perf_event},
    {"lsm",        Place::binary_check,     true,    false, Attachment::trampoline},
    {"kprobe.multi", Place::exec_path,      true,    false, Attachment::bpf_link},
    {"uprobe.multi", Place::syscall_entry,  true,    true,  Attachment::bpf_link},
};
// clang-format on

}  // namespace

const ExpectedHook &expected_hook(std::string_view hook)
{
    for (const auto &row : kHooks)
        if (row.name == hook)
            return row;
    FAIL("no expected behaviour written for hook type "
         << hook << ": add its row to kHooks in tests/kernel/expected_hooks.cpp");
    return kHooks[0];
}

// The reason probectl must give if the kernel lacks this hook; nullopt if the kernel has it.
std::optional<std::string> expected_unsupported_reason(std::string_view hook)
{
    const bool kprobe_based = hook == "kprobe" || hook == "kretprobe" || hook == "ksyscall";
    if (kprobe_based && kernel_config_option("CONFIG_KPROBES") == std::string())
        return "kernel built without CONFIG_KPROBES";
    if ((hook == "fentry" || hook == "fexit") &&
        btf_program_load_errno(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, "bprm_execve") == EPERM)
        return "loading a tracing program is not permitted on this kernel (EPERM)";
    if (hook == "kprobe.multi" && kernel_config_option("CONFIG_FPROBE") == std::string())
        return "kernel built without CONFIG_FPROBE (function probes, which kprobe.multi attaches by)";
    if (hook == "uprobe.multi") {
        // uprobe_multi links came with 6.6 (Debian's 6.12 and later; not 5.10 or 6.1).
        utsname names{};
        int major = 0, minor = 0;
        if (uname(&names) == 0 && std::sscanf(names.release, "%d.%d", &major, &minor) == 2 &&
            (major < 6 || (major == 6 && minor < 6)))
            return fmt::format("the kernel ({}) predates uprobe.multi links (6.6)", names.release);
    }
    if (hook == "lsm") {
        // Debian's 5.10 has CONFIG_BPF_LSM but boots without bpf among its LSMs (CONFIG_LSM).
        auto lsms = active_lsms();
        if (lsms && std::ranges::find(*lsms, "bpf") == lsms->end())
            return "bpf is not an active LSM (boot with lsm=...,bpf)";
        if (btf_program_load_errno(BPF_PROG_TYPE_LSM, BPF_LSM_MAC, "bpf_lsm_bprm_check_security") == EPERM)
            return "loading a BPF LSM program is not permitted on this kernel (EPERM)";
    }
    return std::nullopt;
}

bool exec_path_function_sees_failed_open()
{
    auto nargs = live_kernel_symbols().btf_func_nargs("bprm_execve");
    return !nargs || *nargs > 1;
}

}  // namespace probectl::test
