// probectl targets on kernel facts recorded in tests/data: what each attach point is, which hook
// types can use it, and why fewer than its kind allows.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attach/registry.h"
#include "attach/targets.h"
#include "tests/support/process.h"

using namespace probectl;

namespace {

std::vector<const HookInfo *> registry_hooks()
{
    return Registry::instance().infos();
}

std::vector<TargetEntry> list(const std::string &kernel, std::string_view pattern)
{
    const KernelSymbols symbols = load_recorded_symbols(probectl::test::test_data_dir() + "/" + kernel);
    return kernel_targets(pattern, symbols, registry_hooks());
}

// "function vfs_read: kprobe kretprobe ... (note)"
std::vector<std::string> rows(const std::vector<TargetEntry> &entries)
{
    std::vector<std::string> out;
    for (const auto &entry : entries)
        out.push_back(fmt::format("{} {}: {}{}", target_class_name(entry.kind), entry.name,
                                  fmt::join(entry.hooks, " "), entry.note.empty() ? "" : " (" + entry.note + ")"));
    return out;
}

}  // namespace

TEST_CASE("a kernel function: the hooks its kallsyms, BTF and blacklist entries allow", "[targets]")
{
    CHECK(rows(list("kernel-6.18", "vfs_read")) ==
          std::vector<std::string>{"function vfs_read: kprobe kretprobe fentry fexit kprobe.multi"});
    CHECK(rows(list("kernel-6.18", "do_execveat_common*")) ==
          std::vector<std::string>{
              "function do_execveat_common.isra.0:  (it is on the kprobe blacklist; it has no BTF description, "
              "which BPF trampolines need)",
              "function do_execveat_common.isra.0.cold:  (it is the cold part of a function the compiler split: "
              "not a function entry)"});
    // 5.10: a real do_execveat_common, with BTF; its .cold part is no entry
    CHECK(rows(list("kernel-5.10", "do_execveat_common")) ==
          std::vector<std::string>{"function do_execveat_common: kprobe kretprobe fentry fexit kprobe.multi"});
}

TEST_CASE("an inlined function is listed with why no hook attaches", "[targets]")
{
    KernelSymbols symbols;
    symbols.btf_funcs = {{"inlined_helper", 1}, {"split_helper", 2}};
    symbols.has_btf = true;
    symbols.kallsyms = {"split_helper.constprop.0"};
    CHECK(rows(kernel_targets("*_helper*", symbols, registry_hooks())) ==
          std::vector<std::string>{
              "function inlined_helper:  (inlined everywhere: in BTF, not in kallsyms)",
              "function split_helper:  (inlined; its compiler clones: split_helper.constprop.0)",
              "function split_helper.constprop.0: kprobe kretprobe kprobe.multi (it has no BTF description, "
              "which BPF trampolines need)"});
    symbols.traceable = std::set<std::string>{};
    CHECK(rows(kernel_targets("split_helper.*", symbols, registry_hooks())) ==
          std::vector<std::string>{"function split_helper.constprop.0: kprobe kretprobe (it has no BTF "
                                   "description, which BPF trampolines need; it is not in "
                                   "available_filter_functions (notrace, or not ftrace-able))"});
    // With BTF but untraceable (notrace): kprobes only, for the one reason.
    symbols.btf_funcs["split_helper.constprop.0"] = 2;
    CHECK(rows(kernel_targets("split_helper.*", symbols, registry_hooks())) ==
          std::vector<std::string>{"function split_helper.constprop.0: kprobe kretprobe (it is not in "
                                   "available_filter_functions (notrace, or not ftrace-able))"});
}

TEST_CASE("the verifier's refusals: deny list, fexit where nothing returns, trampolines' argument limit",
          "[targets]")
{
    KernelSymbols symbols;
    symbols.btf_funcs = {{"migrate_disable", 0}, {"do_exit", 1}, {"wide_function", 7}};
    symbols.has_btf = true;
    symbols.kallsyms = {"migrate_disable", "do_exit", "wide_function"};
    symbols.release = "6.1.0-13-amd64";
    CHECK(rows(kernel_targets("migrate_disable", symbols, registry_hooks())) ==
          std::vector<std::string>{"function migrate_disable: kprobe kretprobe kprobe.multi (the verifier denies "
                                   "BPF trampolines on it (BPF's own trampolines call it))"});
    CHECK(rows(kernel_targets("do_exit", symbols, registry_hooks())) ==
          std::vector<std::string>{"function do_exit: kprobe fentry kprobe.multi (it never returns, so a return "
                                   "probe there never fires)"});
#if defined(__x86_64__)
    CHECK(rows(kernel_targets("wide_function", symbols, registry_hooks())) ==
          std::vector<std::string>{"function wide_function: kprobe kretprobe kprobe.multi (it takes 7 arguments "
                                   "and BPF trampolines on 6.1.0-13-amd64 take at most 6)"});
    symbols.release = "6.12.0";  // x86-64 trampolines take 12 arguments since 6.5
    CHECK(rows(kernel_targets("wide_function", symbols, registry_hooks())) ==
          std::vector<std::string>{"function wide_function: kprobe kretprobe fentry fexit kprobe.multi"});
#endif
}

TEST_CASE("a module's function: kprobes, and why not trampolines", "[targets]")
{
    KernelSymbols symbols;
    parse_kallsyms("ffffffffc0a01000 t ext4_file_open\t[ext4]\nffffffff81000000 T vfs_read\n", symbols);
    symbols.btf_funcs = {{"vfs_read", 4}};
    symbols.has_btf = true;
    CHECK(symbols.module_of("ext4_file_open") == "ext4");
    CHECK_FALSE(symbols.module_of("vfs_read"));
    CHECK(rows(kernel_targets("ext4_file_open", symbols, registry_hooks())) ==
          std::vector<std::string>{"function ext4_file_open: kprobe kretprobe kprobe.multi (it is in module ext4, "
                                   "whose BTF probectl does not read (trampolines need BTF))"});
}

TEST_CASE("syscalls, tracepoints with and without BTF tracepoints, raw tracepoints", "[targets]")
{
    CHECK(rows(list("kernel-6.18", "*execve")) ==
          std::vector<std::string>{
              "function __x64_sys_execve: kprobe kretprobe fentry fexit kprobe.multi",
              "function bprm_execve: kprobe kretprobe fentry fexit kprobe.multi",
              // a syscall: an event every hook type but lsm sees, each at its own point
              "syscall execve: kprobe kretprobe fentry fexit tracepoint tp_btf raw_tp uprobe uretprobe ksyscall "
              "kprobe.multi uprobe.multi",
              "tracepoint syscalls:sys_enter_execve: tracepoint (a syscall event, not a raw tracepoint: tp_btf "
              "and raw_tp take sys_enter and sys_exit)",
              "tracepoint syscalls:sys_exit_execve: tracepoint (a syscall event, not a raw tracepoint: tp_btf "
              "and raw_tp take sys_enter and sys_exit)"});
    CHECK(rows(list("kernel-6.18", "sched*")) ==
          std::vector<std::string>{
              "tracepoint sched:sched_process_exec: tracepoint tp_btf raw_tp",
              "raw tracepoint sched_process_fork: tp_btf raw_tp (no tracefs event: BTF tracepoints only)"});
    CHECK(rows(list("kernel-6.18", "sched_process_ex*")) ==  // a tracepoint by its name alone
          std::vector<std::string>{"tracepoint sched:sched_process_exec: tracepoint tp_btf raw_tp"});
    CHECK(list("kernel-6.18", "no_such_*").empty());
    // Without tracefs, a BTF tracepoint may have an event or not: no note then.
    auto symbols = load_recorded_symbols(probectl::test::test_data_dir() + "/kernel-6.18");
    symbols.tracepoints.reset();
    CHECK(rows(kernel_targets("sched*", symbols, registry_hooks())) ==
          std::vector<std::string>{"raw tracepoint sched_process_exec: tp_btf raw_tp",
                                   "raw tracepoint sched_process_fork: tp_btf raw_tp"});
    // A tracepoint whose btf_trace_ typedef vmlinux lacks, e.g. a module's.
    symbols.tracepoints = std::set<std::string>{"ext4:ext4_sync_fs"};
    CHECK(rows(kernel_targets("ext4:*", symbols, registry_hooks())) ==
          std::vector<std::string>{"tracepoint ext4:ext4_sync_fs: tracepoint (vmlinux's BTF has no btf_trace_ "
                                   "typedef for it (a module's?): no tp_btf or raw_tp)"});
}

TEST_CASE("LSM hooks, by the bpf_lsm_ functions BTF describes", "[targets]")
{
    KernelSymbols symbols;
    symbols.btf_funcs = {{"bpf_lsm_file_open", 1}, {"bpf_lsm_bprm_check_security", 1}};
    symbols.has_btf = true;
    symbols.kallsyms = {"bpf_lsm_file_open", "bpf_lsm_bprm_check_security"};
    const auto entries = kernel_targets("file_*", symbols, registry_hooks());
    CHECK(rows(entries) == std::vector<std::string>{"lsm hook file_open: lsm"});
    // BPF LSM's own functions (bpf_lsm_verify_prog) are not hooks: the hook table's members say which are.
    symbols.btf_funcs["bpf_lsm_verify_prog"] = 2;
    CHECK(rows(kernel_targets("verify_*", symbols, registry_hooks())).size() == 1);
    symbols.lsm_hooks = std::set<std::string>{"file_open", "bprm_check_security"};
    CHECK(kernel_targets("verify_*", symbols, registry_hooks()).empty());
    CHECK(rows(kernel_targets("file_*", symbols, registry_hooks())) ==
          std::vector<std::string>{"lsm hook file_open: lsm"});
}

TEST_CASE("a binary's functions, and which patterns name a binary", "[targets]")
{
    auto libc = binary_targets("libc", "execv*", registry_hooks());
    REQUIRE(libc);
    std::vector<std::string> names;
    for (const auto &entry : *libc) {
        names.push_back(entry.name.substr(entry.name.rfind(':') + 1));
        CHECK(entry.hooks == std::vector<std::string_view>{"uprobe", "uretprobe", "uprobe.multi"});
        CHECK(entry.kind == TargetClass::user_function);
    }
    CHECK(names == std::vector<std::string>{"execv", "execve", "execveat", "execvp", "execvpe"});

    const KernelSymbols symbols = load_recorded_symbols(probectl::test::test_data_dir() + "/kernel-6.18");
    CHECK(names_binary("/usr/bin/bash:*", symbols));
    CHECK(names_binary("libc:exec*", symbols));
    CHECK_FALSE(names_binary("sched:*", symbols));
    CHECK_FALSE(names_binary("vfs_*", symbols));

    auto missing = binary_targets("/nonexistent/binary", "*", registry_hooks());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "binary '/nonexistent/binary' does not exist");
}
