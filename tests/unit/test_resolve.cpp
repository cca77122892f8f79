// Target resolution against kernel facts recorded in tests/data: the same rules give the right
// attach point on kernels other than the one running the tests.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "attach/registry.h"
#include "attach/resolve.h"
#include "cli/exit_codes.h"
#include "probes/event.h"
#include "tests/support/contains.h"
#include "tests/support/process.h"
#include "tests/support/resolving.h"

using namespace probectl;
using probectl::test::contains;
using probectl::test::recorded_kernel;
using probectl::test::resolve_on;

namespace {

// The names of the registry's hooks whose target is of this kind: resolve_target() picks how a target
// is resolved by the kind alone. Never empty: a loop over none would check nothing.
std::vector<std::string> hooks_of_kind(TargetKind kind)
{
    std::vector<std::string> out;
    for (const auto &strategy : Registry::instance().all())
        if (strategy->info().target_kind == kind)
            out.emplace_back(strategy->info().name);
    INFO("target kind " << target_kind_name(kind));
    REQUIRE_FALSE(out.empty());
    return out;
}

}  // namespace

TEST_CASE("recorded facts load", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    CHECK(symbols.in_kallsyms("bprm_execve"));
    CHECK_FALSE(symbols.in_kallsyms("do_execve"));
    CHECK(symbols.btf_func_nargs("bprm_execve") == 1);
    CHECK(symbols.clones_of("do_execveat_common") ==
          std::vector<std::string>{"do_execveat_common.isra.0", "do_execveat_common.isra.0.cold"});
    CHECK(symbols.has_tracepoint("syscalls", "sys_enter_execve") == true);
}

TEST_CASE("execve: the kernel-function hooks use bprm_execve, with its BTF parameter count", "[resolve]")
{
    // Every hook that takes a kernel function. These checks are those of a hook that resolves a name to
    // one function (bprm_execve, its BTF prototype); they depend on nothing else of the hook. A hook type
    // of this kind that resolves otherwise (patterns of functions, as kprobe.multi's could) fails here:
    // give it a target kind of its own rather than skip it.
    for (const auto &hook : hooks_of_kind(TargetKind::kernel_function)) {
        INFO(hook);
        auto on_618 = resolve_on(hook, "execve", recorded_kernel("kernel-6.18"));
        REQUIRE(on_618);
        CHECK(on_618->attach_point == "bprm_execve");
        CHECK(on_618->layout.layout == PCTL_LAYOUT_BPRM0);
        CHECK(on_618->layout.func_nargs == 1);
        CHECK(on_618->layout.ret_size == 4);  // int: only eax is defined on return
        CHECK(on_618->note.empty());
        auto on_61 = resolve_on(hook, "execve", recorded_kernel("kernel-6.1"));
        REQUIRE(on_61);
        CHECK(on_61->layout.func_nargs == 4);
    }
}

TEST_CASE("execve on a kernel without bprm_execve uses do_execve and reads its arguments", "[resolve]")
{
    auto resolved = resolve_on("fentry", "execve", recorded_kernel("kernel-do-execve"));
    REQUIRE(resolved);
    CHECK(resolved->attach_point == "do_execve");
    CHECK(resolved->layout.layout == PCTL_LAYOUT_KFILENAME0_UARGV1);
    CHECK(resolved->layout.func_nargs == 3);
}

TEST_CASE("do_execve, inlined: fentry takes bprm_execve and says why in one line", "[resolve]")
{
    for (auto kernel : {"kernel-6.18", "kernel-6.1"}) {
        auto resolved = resolve_on("fentry", "do_execve", recorded_kernel(kernel));
        REQUIRE(resolved);
        CHECK(resolved->attach_point == "bprm_execve");
        CHECK(resolved->note == "do_execve: it is inlined or absent on this kernel (in neither kallsyms nor BTF); "
                                "fentry uses bprm_execve instead");
    }
}

TEST_CASE("do_execve on 5.10: kprobe takes do_execveat_common, fentry skips its struct arguments", "[resolve]")
{
    auto kprobe = resolve_on("kprobe", "do_execve", recorded_kernel("kernel-5.10"));
    REQUIRE(kprobe);
    CHECK(kprobe->attach_point == "do_execveat_common");  // a real function there, not a clone
    CHECK(kprobe->note ==
          "do_execve: it is inlined or absent on this kernel (in neither kallsyms nor BTF); kprobe "
          "uses do_execveat_common instead");
    // do_execveat_common has BTF on 5.10, but takes struct user_arg_ptr by value: a 5.10 trampoline
    // refuses it (EINVAL, seen in the VM), so fentry goes to bprm_execve.
    auto fentry = resolve_on("fentry", "do_execve", recorded_kernel("kernel-5.10"));
    REQUIRE(fentry);
    CHECK(fentry->attach_point == "bprm_execve");
    CHECK(fentry->layout.func_nargs == 4);
}

TEST_CASE("do_execve, inlined: kprobe takes the .isra clone and does not trust its arguments", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    symbols.kprobe_blacklist.reset();  // the recording's blacklist names the clone (made up for tests)
    auto resolved = resolve_on("kprobe", "do_execve", symbols);
    REQUIRE(resolved);
    CHECK(resolved->attach_point == "do_execveat_common.isra.0");
    CHECK(resolved->layout.layout == PCTL_LAYOUT_NONE);
    CHECK(resolved->note ==
          "do_execve: it is inlined or absent on this kernel (in neither kallsyms nor BTF); kprobe "
          "uses do_execveat_common.isra.0 instead, a compiler clone whose arguments probectl does "
          "not read");
    // Blacklisted, the clone is passed over: kprobes would be refused there.
    auto listed = resolve_on("kprobe", "do_execve", recorded_kernel("kernel-6.18"));
    REQUIRE(listed);
    CHECK(listed->attach_point == "bprm_execve");
    auto named = resolve_on("kprobe", "do_execveat_common.isra.0", recorded_kernel("kernel-6.18"));
    REQUIRE_FALSE(named);
    CHECK(named.error().message == "kprobe cannot attach to 'do_execveat_common.isra.0': it is on the kprobe "
                                   "blacklist");
}

TEST_CASE("do_execve where it exists is used as named, without a note", "[resolve]")
{
    auto resolved = resolve_on("kretprobe", "do_execve", recorded_kernel("kernel-do-execve"));
    REQUIRE(resolved);
    CHECK(resolved->attach_point == "do_execve");
    CHECK(resolved->note.empty());
}

TEST_CASE("strict mode refuses a substitute for do_execve", "[resolve]")
{
    auto resolved = resolve_on("fentry", "do_execve", recorded_kernel("kernel-6.18"), true);
    REQUIRE_FALSE(resolved);
    CHECK(resolved.error().kind == ErrorKind::target_untraceable);
    CHECK(resolved.error().message ==
          "fentry cannot attach to do_execve: it is inlined or absent on this kernel (in neither kallsyms nor "
          "BTF); --strict refuses a substitute");
    CHECK(contains(resolved.error().hint, "bprm_execve"));
}

TEST_CASE("explicit kernel functions: clones, missing BTF, unknown names", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    auto clone_for_fentry = resolve_on("fentry", "do_execveat_common.isra.0", symbols);
    REQUIRE_FALSE(clone_for_fentry);
    CHECK(clone_for_fentry.error().kind == ErrorKind::target_untraceable);
    CHECK(contains(clone_for_fentry.error().message, "has no BTF description, which BPF trampolines need"));
    CHECK(contains(clone_for_fentry.error().hint, "--type kprobe do_execveat_common.isra.0"));

    symbols.kprobe_blacklist.reset();
    auto clone_for_kprobe = resolve_on("kprobe", "do_execveat_common.isra.0", symbols);
    REQUIRE(clone_for_kprobe);
    CHECK(clone_for_kprobe->attach_point == "do_execveat_common.isra.0");

    auto parent_of_clone = resolve_on("kprobe", "do_execveat_common", symbols);
    REQUIRE_FALSE(parent_of_clone);
    CHECK(parent_of_clone.error().kind == ErrorKind::target_not_found);
    CHECK(contains(parent_of_clone.error().message, "its compiler clones are: do_execveat_common.isra.0"));
    CHECK(parent_of_clone.error().hint == "name the clone: --type kprobe do_execveat_common.isra.0");

    auto unknown = resolve_on("kprobe", "no_such_function", symbols);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == ErrorKind::target_not_found);
    CHECK(exit_code(unknown.error()) == 4);

    auto tracepoint_for_kprobe = resolve_on("kprobe", "syscalls:sys_enter_execve", symbols);
    REQUIRE_FALSE(tracepoint_for_kprobe);
    CHECK(tracepoint_for_kprobe.error().kind == ErrorKind::usage);
}

TEST_CASE("fentry refuses a function that function tracing cannot reach", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    symbols.traceable = std::set<std::string>{"begin_new_exec"};
    auto resolved = resolve_on("fentry", "bprm_execve", symbols);
    REQUIRE_FALSE(resolved);
    CHECK(contains(resolved.error().message, "not in available_filter_functions"));
    CHECK(resolve_on("fentry", "begin_new_exec", symbols));
}

TEST_CASE("tracepoints: execve, exits, unknown ones and missing categories", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    auto execve = resolve_on("tracepoint", "execve", symbols);
    REQUIRE(execve);
    CHECK(execve->attach_point == "syscalls:sys_enter_execve");
    CHECK(execve->layout.layout == PCTL_LAYOUT_UPATH0_UARGV1);

    auto exit = resolve_on("tracepoint", "syscalls:sys_exit_execve", symbols);
    REQUIRE(exit);
    CHECK(exit->layout.layout == PCTL_LAYOUT_SYS_EXIT);

    auto execveat = resolve_on("tp", "syscalls:sys_enter_execveat", symbols);
    REQUIRE(execveat);
    CHECK(execveat->layout.layout == PCTL_LAYOUT_UPATH1_UARGV2);

    auto unknown = resolve_on("tracepoint", "syscalls:sys_enter_nothing", symbols);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == ErrorKind::target_not_found);

    auto bare = resolve_on("tracepoint", "sys_enter_execve", symbols);
    REQUIRE_FALSE(bare);
    CHECK(bare.error().kind == ErrorKind::usage);
}

TEST_CASE("raw tracepoints: with or without category, checked against BTF", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    for (const auto &hook : hooks_of_kind(TargetKind::raw_tracepoint)) {
        INFO(hook);
        for (auto text : {"execve", "sched_process_exec", "sched:sched_process_exec"}) {
            auto resolved = resolve_on(hook, text, symbols);
            REQUIRE(resolved);
            CHECK(resolved->attach_point == "sched_process_exec");
            CHECK(resolved->layout.layout == PCTL_LAYOUT_SCHED_EXEC);
        }
        auto unknown = resolve_on(hook, "sched_process_nothing", symbols);
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().message ==
              "no tracepoint named 'sched_process_nothing' (kernel BTF has no btf_trace_sched_process_nothing)");
    }
}

TEST_CASE("ksyscall: syscall names, checked against the entry symbols", "[resolve]")
{
    auto symbols = recorded_kernel("kernel-6.18");
    auto execveat = resolve_on("ksyscall", "execveat", symbols);
    REQUIRE(execveat);
    CHECK(execveat->layout.layout == PCTL_LAYOUT_UPATH1_UARGV2);
    auto unknown = resolve_on("ksyscall", "frobnicate", symbols);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message == "no syscall named 'frobnicate': no __x64_sys_frobnicate in kallsyms");
}

TEST_CASE("uprobe: execve is libc's execve, found in the ELF symbol table", "[resolve]")
{
    KernelSymbols none;
    auto resolved = resolve_on("uprobe", "execve", none);
    REQUIRE(resolved);
    CHECK(contains(resolved->attach_point, "libc"));
    CHECK(resolved->symbol == "execve");
    CHECK(resolved->offset > 0);
    CHECK(resolved->layout.layout == PCTL_LAYOUT_UPATH0_UARGV1);
    CHECK(resolved->layout.ret_size == 4);

    auto missing = resolve_on("uprobe", "libc:no_such_function_here", none);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == ErrorKind::binary_or_symbol);

    auto bare = resolve_on("uretprobe", "malloc", none);
    REQUIRE_FALSE(bare);
    CHECK(bare.error().kind == ErrorKind::usage);
    CHECK(bare.error().hint == "e.g. libc:malloc or /usr/bin/bash:main");
}

TEST_CASE("kprobe.multi: execve is the exec path's functions this kernel has, each reading bprm", "[resolve]")
{
    const auto symbols = recorded_kernel("kernel-6.1");
    auto resolved = resolve_on("kprobe.multi", "execve", symbols);
    REQUIRE(resolved);
    std::vector<std::string> names;
    for (const auto &site : resolved->sites) {
        names.push_back(site.name);
        CHECK(site.layout == PCTL_LAYOUT_BPRM0);
    }
    CHECK(std::ranges::find(names, "bprm_execve") != names.end());
    CHECK(std::ranges::find(names, "begin_new_exec") != names.end());
    CHECK(resolved->attach_point == fmt::format("{}", fmt::join(names, ",")));
    CHECK(resolved->site_name(1) == names.front());
    CHECK(resolved->site_name(0).empty());  // 0: a single-point hook's event
    CHECK(resolved->site_name(static_cast<std::uint32_t>(names.size()) + 1).empty());
}

TEST_CASE("kprobe.multi: globs and lists, each function with its own layout, no match is an error", "[resolve]")
{
    const auto symbols = recorded_kernel("kernel-6.1");
    auto resolved = resolve_on("kprobe.multi", "bprm_*,begin_new_exec,bprm_execve", symbols);
    REQUIRE(resolved);
    CHECK(resolved->attach_point == "bprm_*,begin_new_exec,bprm_execve");
    bool bprm_execve = false;
    for (const auto &site : resolved->sites) {
        INFO(site.name);
        CHECK((site.name.starts_with("bprm_") || site.name == "begin_new_exec"));
        if (site.name == "bprm_execve" || site.name == "begin_new_exec")
            CHECK(site.layout == PCTL_LAYOUT_BPRM0);
        bprm_execve = bprm_execve || site.name == "bprm_execve";
    }
    CHECK(bprm_execve);
    std::set<std::string> unique;
    for (const auto &site : resolved->sites)
        CHECK(unique.insert(site.name).second);  // named twice, attached once

    auto none = resolve_on("kprobe.multi", "no_such_fn_*", symbols);
    REQUIRE_FALSE(none);
    CHECK(none.error().message == "no probeable kernel function matches 'no_such_fn_*'");
    auto single = resolve_on("kprobe", "bprm_*", symbols);
    REQUIRE_FALSE(single);
    CHECK(exit_code(single.error()) == 2);
    CHECK(single.error().message == "kprobe takes one attach point, not the list or glob 'bprm_*'");
    CHECK(contains(single.error().hint, "--type kprobe.multi"));
}

TEST_CASE("lsm: execve is bprm_check_security, found by its bpf_lsm_ function in BTF", "[resolve]")
{
    KernelSymbols symbols;
    symbols.has_btf = true;
    symbols.btf_funcs["bpf_lsm_bprm_check_security"] = 1;
    symbols.btf_funcs["bpf_lsm_file_open"] = 1;
    auto exec = resolve_on("lsm", "execve", symbols);
    REQUIRE(exec);
    CHECK(exec->attach_point == "bprm_check_security");
    CHECK(exec->layout.layout == PCTL_LAYOUT_BPRM0);
    auto open = resolve_on("lsm", "file_open", symbols);
    REQUIRE(open);
    CHECK(open->layout.layout == PCTL_LAYOUT_NONE);
    auto missing = resolve_on("lsm", "security_bprm_check", symbols);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message ==
          "no LSM hook named 'security_bprm_check' (kernel BTF has no bpf_lsm_security_bprm_check)");
}

TEST_CASE("uprobe.multi: libc's exec wrappers, each at its offset with its layout, lists deduplicated",
          "[resolve]")
{
    const KernelSymbols none;
    auto exec = resolve_on("uprobe.multi", "execve", none);
    REQUIRE(exec);
    REQUIRE_FALSE(exec->sites.empty());
    CHECK(exec->sites.front().name == "execve");
    CHECK(exec->sites.front().layout == PCTL_LAYOUT_UPATH0_UARGV1);
    for (const auto &site : exec->sites)
        CHECK(site.offset > 0);
    CHECK(exec->describe().ends_with(":" + exec->symbol));

    auto twice = resolve_on("uprobe.multi", "libc:execve,execve", none);
    REQUIRE(twice);
    CHECK(twice->sites.size() == 1);
    auto missing = resolve_on("uprobe.multi", "libc:execve,no_such_function_here", none);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == ErrorKind::binary_or_symbol);
    auto single = resolve_on("uprobe", "libc:execve,execvp", none);
    REQUIRE_FALSE(single);
    CHECK(contains(single.error().hint, "--type uprobe.multi"));
}
