// lsm: a BPF LSM program on a security hook, named before load (libbpf finds bpf_lsm_<hook> in
// kernel BTF). The kernel attaches it whether or not bpf is an active LSM, but runs it only when
// it is: so probectl refuses before load when the active LSMs lack bpf, rather than attach a
// program that would see nothing.
#include "attach/strategy.h"
#include "loader/kernel_facts.h"

#include <algorithm>
#include <cerrno>

// The skeletons after probes/event.h (through attach/strategy.h): they use its structs.
#include "args_lsm.skel.h"
#include "lsm.skel.h"

namespace probectl {
namespace {

int prepare_lsm(bpf_program *program, const ResolvedTarget &target)
{
    if (auto lsms = active_lsms(); lsms && std::ranges::find(*lsms, "bpf") == lsms->end())
        return -EOPNOTSUPP;
    return set_btf_attach_target(program, target);
}

bpf_link *attach_lsm(bpf_program *program, const ResolvedTarget & /*target*/)
{
    return bpf_program__attach_lsm(program);
}

}  // namespace

std::unique_ptr<AttachStrategy> make_lsm_strategy(const HookInfo &info)
{
    return make_strategy<lsm_bpf, args_lsm_bpf>(info, prepare_lsm, attach_lsm);
}

}  // namespace probectl
