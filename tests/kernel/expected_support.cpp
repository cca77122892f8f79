#include "tests/kernel/expected_support.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <unistd.h>

#include <cerrno>

#include "loader/kernel_facts.h"

namespace probectl::test {
namespace {

// fentry/fexit: can this kernel load a tracing program at all? Asked with a two-instruction
// program of our own, so the answer does not come from the code under test.
std::optional<int> tracing_load_errno()
{
    struct btf *btf = btf__load_vmlinux_btf();
    if (!btf)
        return ENOENT;
    const int btf_id = btf__find_by_name_kind(btf, "bprm_execve", BTF_KIND_FUNC);
    btf__free(btf);
    if (btf_id < 0)
        return std::nullopt;
    const bpf_insn program[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},  // r0 = 0
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                   // exit
    };
    bpf_prog_load_opts options{};
    options.sz = sizeof(options);
    options.expected_attach_type = BPF_TRACE_FENTRY;
    options.attach_btf_id = static_cast<__u32>(btf_id);
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "kt_trial", "GPL", program, 2, &options);
    if (fd >= 0) {
        close(fd);
        return std::nullopt;
    }
    return errno;
}

}  // namespace

// The reason probectl must give if the kernel lacks this hook; nullopt if the kernel has it.
std::optional<std::string> expected_unsupported_reason(std::string_view hook)
{
    const bool kprobe_based = hook == "kprobe" || hook == "kretprobe" || hook == "ksyscall";
    if (kprobe_based && kernel_config_option("CONFIG_KPROBES") == std::string())
        return "kernel built without CONFIG_KPROBES";
    if ((hook == "fentry" || hook == "fexit") && tracing_load_errno() == EPERM)
        return "loading a tracing program is not permitted on this kernel (EPERM)";
    return std::nullopt;
}

bool exec_path_function_sees_failed_open()
{
    auto nargs = live_kernel_symbols().btf_func_nargs("bprm_execve");
    return !nargs || *nargs > 1;
}

}  // namespace probectl::test
