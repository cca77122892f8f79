// ksyscall: libbpf picks the architecture's syscall entry symbol (__x64_sys_<name>) and kprobes it.
#include "attach/ksyscall_skeleton.h"
#include "attach/strategy.h"

namespace probectl {
namespace {

bpf_link *attach_ksyscall(bpf_program *program, const ResolvedTarget &target)
{
    bpf_ksyscall_opts options{};
    options.sz = sizeof(options);
    return bpf_program__attach_ksyscall(program, target.attach_point.c_str(), &options);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_ksyscall_strategy(const HookInfo &info)
{
    return make_strategy<ksyscall_bpf, args_ksyscall_bpf>(info, nullptr, attach_ksyscall);
}

}  // namespace probectl
