// Every syscall as an event: where each hook type sees it, from the syscall table and the kernel's
// facts, with no code for the syscall itself.
#include <catch2/catch.hpp>

#include "attach/registry.h"
#include "attach/syscall_event.h"
#include "loader/syscall_numbers.h"
#include "tests/support/resolving.h"

using namespace probectl;
using probectl::test::resolve_on;

namespace {

// A kernel with openat's wrapper (described by BTF), its tracepoint and the raw tracepoint sys_enter.
KernelSymbols kernel_with_openat()
{
    KernelSymbols symbols;
    symbols.kallsyms = {std::string(syscall_wrapper_prefix()) + "openat", "vfs_read"};
    symbols.btf_funcs = {{std::string(syscall_wrapper_prefix()) + "openat", 1}, {"vfs_read", 4}};
    symbols.has_btf = true;
    symbols.btf_typedefs = {"btf_trace_sys_enter", "btf_trace_sched_switch"};
    symbols.tracepoints = std::set<std::string>{"syscalls:sys_enter_openat", "syscalls:sys_exit_openat"};
    symbols.release = "6.1.0";
    return symbols;
}

}  // namespace

TEST_CASE("the syscall table is generated from the C library's headers", "[syscall]")
{
    REQUIRE(syscall_number("openat"));
    REQUIRE(syscall_number("getpid"));
    CHECK(syscall_name(*syscall_number("openat")) == "openat");
    CHECK_FALSE(syscall_number("vfs_read"));
#if defined(__x86_64__)
    CHECK(syscall_number("openat") == 257);
    CHECK(syscall_number("read") == 0);
#endif
}

TEST_CASE("a syscall event: each hook type at its own attach point", "[syscall]")
{
    const KernelSymbols symbols = kernel_with_openat();
    const std::string wrapper = std::string(syscall_wrapper_prefix()) + "openat";
    const auto event = find_syscall_event("openat", symbols);
    REQUIRE(event);
    CHECK(event->number == *syscall_number("openat"));
    CHECK(event->wrapper == wrapper);
    CHECK(event->kernel_name == "openat");
    CHECK_FALSE(find_syscall_event("vfs_read", symbols));  // no syscall of that name
    CHECK_FALSE(find_syscall_event("getpid", symbols));    // no wrapper in this kernel's kallsyms

    for (const auto *hook : {"kprobe", "fentry", "fexit"}) {
        auto resolved = resolve_on(hook, "openat", symbols);
        INFO(hook);
        REQUIRE(resolved);
        CHECK(resolved->attach_point == wrapper);
        CHECK(resolved->syscall == "openat");
        CHECK(resolved->layout.syscall_regs);  // its one argument: the user's registers
        CHECK(resolved->layout.syscall_nr == -1);
    }
    auto kretprobe = resolve_on("kretprobe", "openat", symbols);
    REQUIRE(kretprobe);
    CHECK(kretprobe->attach_point == wrapper);
    CHECK_FALSE(kretprobe->layout.syscall_regs);  // nothing to read at the return but the value

    auto multi = resolve_on("kprobe.multi", "openat", symbols);
    REQUIRE(multi);
    REQUIRE(multi->sites.size() == 1);
    CHECK(multi->sites[0].name == wrapper);

    auto tracepoint = resolve_on("tracepoint", "openat", symbols);
    REQUIRE(tracepoint);
    CHECK(tracepoint->attach_point == "syscalls:sys_enter_openat");
    CHECK_FALSE(tracepoint->layout.syscall_regs);  // the record has the arguments

    for (const auto *hook : {"tp_btf", "raw_tp"}) {
        auto resolved = resolve_on(hook, "openat", symbols);
        INFO(hook);
        REQUIRE(resolved);
        CHECK(resolved->attach_point == "sys_enter");
        CHECK(resolved->layout.syscall_nr == *syscall_number("openat"));
        CHECK(resolved->layout.syscall_regs);
    }

    auto uprobe = resolve_on("uprobe", "openat", symbols);
    REQUIRE(uprobe);
    CHECK(uprobe->symbol == "openat");
    CHECK(uprobe->attach_point.find("libc") != std::string::npos);
    CHECK(uprobe->offset > 0);

    auto lsm = resolve_on("lsm", "openat", symbols);
    REQUIRE_FALSE(lsm);
    CHECK(lsm.error().kind == ErrorKind::target_untraceable);
    CHECK(lsm.error().message == "lsm attaches to LSM hooks, and the openat syscall is none");

    // A kernel function keeps its own name: vfs_read is no syscall event.
    auto function = resolve_on("kprobe", "vfs_read", symbols);
    REQUIRE(function);
    CHECK(function->attach_point == "vfs_read");
    CHECK(function->syscall.empty());
}

#if defined(__x86_64__)  // arm64 has no stat syscall
TEST_CASE("a syscall whose kernel name differs from the table's: stat enters at newstat", "[syscall]")
{
    KernelSymbols symbols;
    symbols.kallsyms = {std::string(syscall_wrapper_prefix()) + "newstat"};
    symbols.tracepoints = std::set<std::string>{"syscalls:sys_enter_newstat"};
    const auto event = find_syscall_event("stat", symbols);
    REQUIRE(event);
    CHECK(event->kernel_name == "newstat");
    auto tracepoint = resolve_on("tracepoint", "stat", symbols);
    REQUIRE(tracepoint);
    CHECK(tracepoint->attach_point == "syscalls:sys_enter_newstat");
    auto ksyscall = resolve_on("ksyscall", "newstat", symbols);  // ksyscall takes the kernel's name itself
    REQUIRE(ksyscall);
    CHECK(ksyscall->attach_point == "newstat");
}
#endif

TEST_CASE("a syscall event where a hook cannot see it says why", "[syscall]")
{
    KernelSymbols symbols = kernel_with_openat();
    symbols.tracepoints = std::set<std::string>{};  // built without syscall tracepoints
    auto tracepoint = resolve_on("tracepoint", "openat", symbols);
    REQUIRE_FALSE(tracepoint);
    CHECK(tracepoint.error().message == "this kernel has no tracepoint syscalls:sys_enter_openat (built without "
                                        "CONFIG_FTRACE_SYSCALLS, or the syscall has none)");
    symbols.btf_typedefs.clear();
    auto raw = resolve_on("raw_tp", "openat", symbols);
    REQUIRE_FALSE(raw);
    CHECK(raw.error().message == "raw_tp sees syscalls at the raw tracepoint sys_enter, which this kernel's BTF "
                                 "lacks");
    symbols.kprobe_blacklist = std::set<std::string>{std::string(syscall_wrapper_prefix()) + "openat"};
    auto kprobe = resolve_on("kprobe", "openat", symbols);
    REQUIRE_FALSE(kprobe);
    CHECK(kprobe.error().message == "kprobe cannot attach to " + std::string(syscall_wrapper_prefix()) +
                                        "openat, where the openat syscall enters: it is on the kprobe blacklist");
}
