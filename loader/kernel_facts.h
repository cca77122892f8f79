// Facts about the running kernel that probectl reads rather than guesses: release, BTF, config,
// tracefs, PMUs, capabilities, and the symbol tables that target resolution consults.
#pragma once

#include "loader/name_set.h"

#include "loader/error.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace probectl {

// Names worked out once per misspelt name (KernelSymbols::nearest_functions).
struct NearestMemo {
    std::mutex lock;
    std::map<std::string, std::vector<std::string>, std::less<>> names;
};

// What target resolution needs to know about kernel symbols. Loaded from the live kernel, or from
// recorded files in tests, so resolution can be tested against other kernels' facts.
struct KernelSymbols {
    // The live kernel's facts are read on first use, part by part (kallsyms_source, btf_source):
    // /proc/kallsyms takes over 100 ms to read and parse and the kernel's BTF some 20 ms, which a
    // command that needs neither (probectl attach --type tracepoint execve) should not pay at
    // start-up. Recorded facts (tests) are filled in directly. The loads are thread-safe; filling in is not.
    mutable NameSet kallsyms;                          // text symbols (t/T) of vmlinux, clones included
    mutable std::map<std::string, int> btf_funcs;      // BTF FUNC name -> number of parameters
    mutable std::map<std::string, int> btf_ret_sizes;  // BTF FUNC name -> bytes of its return type
    mutable std::set<std::string> btf_typedefs;        // typedef names (btf_trace_<tracepoint> among them)
    // The LSM hooks, from the members of BTF's struct lsm_static_calls_table (6.9+) or
    // security_hook_heads; nullopt when BTF has neither (then every bpf_lsm_ function counts).
    mutable std::optional<std::set<std::string>> lsm_hooks;
    // Text symbols of modules (kallsyms' "name [module]" lines): name -> module
    mutable std::map<std::string, std::string> module_functions;
    std::string release;  // uname -r, or the recorded kernel's (its folder's "release" file)
    mutable bool has_btf = false;
    mutable std::function<void(const KernelSymbols &)> kallsyms_source;
    mutable std::function<void(const KernelSymbols &)> btf_source;
    // available_filter_functions, when readable (function tracing may be blocked: then unknown);
    // read with kallsyms (kallsyms_source)
    mutable std::optional<std::set<std::string>> traceable;
    // "category:name" from tracefs available_events, when tracefs is mounted
    std::optional<std::set<std::string>> tracepoints;
    // Functions kprobes refuse (debugfs kprobes/blacklist), when debugfs is mounted; read with kallsyms
    mutable std::optional<std::set<std::string>> kprobe_blacklist;
    // Shared by copies: they hold the same names.
    mutable std::shared_ptr<NearestMemo> nearest_memo = std::make_shared<NearestMemo>();

    void load_btf() const;  // runs btf_source, if any
    // Whether the kernel has BTF at all, and then whether it has btf_trace_<tracepoint>
    [[nodiscard]] bool btf_available() const;
    [[nodiscard]] bool has_btf_typedef(std::string_view name) const;
    void load_kallsyms() const;  // runs kallsyms_source, if any
    [[nodiscard]] bool in_kallsyms(std::string_view name) const;
    // The functions of kallsyms nearest a misspelt name, for "did you mean": a walk of some 200,000
    // names, made once per name (each kernel-function hook asks for the same). Thread-safe.
    [[nodiscard]] std::vector<std::string> nearest_functions(std::string_view name) const;
    // Compiler clones of a function: name.isra.0, name.constprop.0, name.part.0, name.cold, ...
    [[nodiscard]] std::vector<std::string> clones_of(std::string_view name) const;
    [[nodiscard]] std::optional<int> btf_func_nargs(std::string_view name) const;
    // The module a function of kallsyms is in; nullopt for vmlinux's own
    [[nodiscard]] std::optional<std::string> module_of(std::string_view name) const;
    // Whether bpf_lsm_<name> is an LSM hook (not one of BPF LSM's own helpers, bpf_lsm_verify_prog)
    [[nodiscard]] bool is_lsm_hook(std::string_view name) const;
    [[nodiscard]] std::optional<int> btf_func_ret_size(std::string_view name) const;
    // nullopt when the list could not be read
    [[nodiscard]] std::optional<bool> is_traceable(std::string_view name) const;
    // nullopt when debugfs is not mounted
    [[nodiscard]] std::optional<bool> is_blacklisted(std::string_view name) const;
    [[nodiscard]] std::optional<bool> has_tracepoint(std::string_view category, std::string_view name) const;
};

// Parsers for the kernel's own text formats (also used on recorded test data).
void parse_kallsyms(std::string_view text, KernelSymbols &into);
std::set<std::string> parse_name_list(std::string_view text);  // one name per line, "name [mod]" ok
// debugfs kprobes/blacklist: "0xSTART-0xEND\tname" lines.
std::set<std::string> parse_kprobe_blacklist(std::string_view text);

// Facts recorded from a kernel into a folder: kallsyms, btf_funcs ("name nargs [ret_size]" lines),
// btf_typedefs, and optionally tracepoints ("category:name") and traceable (function names).
KernelSymbols load_recorded_symbols(const std::string &folder);

// The live kernel's symbols, loaded once per process.
const KernelSymbols &live_kernel_symbols();

std::string kernel_release();
// Whether a release ("6.1.0-13-amd64") is older than major.minor; false when it cannot be read.
bool release_before(std::string_view release, int major, int minor);

// /proc/config.gz, else /boot/config-<release>. nullopt: the config cannot be read at all.
std::optional<std::map<std::string, std::string>> read_kernel_config();
std::map<std::string, std::string> parse_kernel_config(std::string_view text);
// "y", "m", a value, or "" for "is not set"/absent; nullopt when the config cannot be read.
std::optional<std::string> kernel_config_option(std::string_view option);
// The config options that decide which hook types can work (doctor shows them, recordings keep them).
std::span<const std::string_view> hook_config_options();

// Where tracefs is mounted, if it is.
std::optional<std::string> tracefs_mount();
// Where a file system of this type is mounted, if it is (the first such line of /proc/self/mounts).
std::optional<std::string> mount_point_of(std::string_view fstype);
// The file the kernel config was read from ("/proc/config.gz", "/boot/config-<release>"), if any.
std::optional<std::string> kernel_config_source();
// The kernel lockdown mode: "none", "integrity" or "confidentiality". Where securityfs is not
// mounted, mounts it at /sys/kernel/security for the read and unmounts it after; an error when the
// mode still cannot be read.
Expected<std::string> lockdown_mode();
// The LSMs in force, in order ("lockdown,capability,landlock,bpf"), from /sys/kernel/security/lsm;
// reads securityfs like lockdown_mode(). BPF LSM programs run only when "bpf" is among them.
Expected<std::vector<std::string>> active_lsms();
// Whether the kernel has BPF ring buffers (5.8+), asked by creating one.
bool ringbuf_supported();
// Mounts tracefs at /sys/kernel/tracing when it is not mounted anywhere; the path it is at.
Expected<std::string> ensure_tracefs();

bool pmu_exists(std::string_view pmu);  // /sys/bus/event_source/devices/<pmu>

// /proc/sys/kernel/perf_event_paranoid; nullopt when unreadable. Debian's kernels add level 3.
std::optional<int> perf_event_paranoid();

// Effective capabilities, from /proc/self/status.
bool has_capability(int cap);
// Fails with ErrorKind::permission when probectl cannot load and attach BPF programs.
Expected<void> require_bpf_privileges();

}  // namespace probectl
