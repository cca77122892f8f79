#include "loader/kernel_facts.h"

#include "loader/kernel_btf.h"
#include "loader/spelling.h"
#include "loader/text.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <linux/capability.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace probectl {
namespace {

// Names into a set, sorted and deduplicated first: std::set then takes them in one pass, each at its
// end, instead of a search a name (function tracing's list has some 60 000; kallsyms, twice as
// many, goes into a NameSet).
std::set<std::string> name_set(std::vector<std::string_view> names)
{
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return {names.begin(), names.end()};
}

std::optional<std::string> read_gzip_file(const std::string &path)
{
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        return std::nullopt;
    std::string text;
    char buffer[1 << 16];
    int n;
    while ((n = gzread(file, buffer, sizeof(buffer))) > 0)
        text.append(buffer, static_cast<size_t>(n));
    gzclose(file);
    if (n < 0)
        return std::nullopt;
    return text;
}

template <class Fn> void for_each_line(std::string_view text, Fn &&fn)
{
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty())
            fn(line);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
}

void read_kernel_btf(const KernelSymbols &into)
{
    const auto held = hold_kernel_btf();  // the same parse as the objects' cuts, while they are made
    const struct btf *btf = held.get();
    if (!btf)
        return;
    into.has_btf = true;
    const unsigned count = btf__type_cnt(btf);
    for (unsigned id = 1; id < count; id++) {
        const struct btf_type *type = btf__type_by_id(btf, id);
        if (btf_is_func(type)) {
            const struct btf_type *proto = btf__type_by_id(btf, type->type);
            const char *name = btf__name_by_offset(btf, type->name_off);
            into.btf_funcs.emplace(name, proto ? btf_vlen(proto) : 0);
            if (proto && proto->type != 0) {
                const auto size = btf__resolve_size(btf, proto->type);
                if (size > 0)
                    into.btf_ret_sizes.emplace(name, static_cast<int>(size));
            }
        } else if (btf_is_typedef(type)) {
            into.btf_typedefs.emplace(btf__name_by_offset(btf, type->name_off));
        }
    }
    // The LSM hooks are the members of the table the kernel calls them through.
    for (const char *table : {"lsm_static_calls_table", "security_hook_heads"}) {
        const int id = btf__find_by_name_kind(btf, table, BTF_KIND_STRUCT);
        if (id <= 0)
            continue;
        const struct btf_type *type = btf__type_by_id(btf, id);
        std::set<std::string> hooks;
        for (int i = 0; i < btf_vlen(type); i++)
            hooks.emplace(btf__name_by_offset(btf, btf_members(type)[i].name_off));
        into.lsm_hooks = std::move(hooks);
        break;
    }
}

std::optional<std::set<std::string>> read_name_list(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return std::nullopt;
    return parse_name_list(text.str());
}

}  // namespace

void KernelSymbols::load_kallsyms() const
{
    static std::mutex loading;  // hook trials resolve on several threads (attach/support.h)
    std::lock_guard lock(loading);
    if (kallsyms_source) {
        auto source = std::move(kallsyms_source);
        kallsyms_source = nullptr;
        source(*this);
    }
}

void KernelSymbols::load_btf() const
{
    static std::mutex loading;  // hook trials resolve on several threads (attach/support.h)
    std::lock_guard lock(loading);
    if (btf_source) {
        auto source = std::move(btf_source);
        btf_source = nullptr;
        source(*this);
    }
}

bool KernelSymbols::btf_available() const
{
    load_btf();
    return has_btf;
}

bool KernelSymbols::has_btf_typedef(std::string_view name) const
{
    load_btf();
    return btf_typedefs.contains(std::string(name));
}

bool KernelSymbols::in_kallsyms(std::string_view name) const
{
    load_kallsyms();
    return kallsyms.contains(name);
}

std::vector<std::string> KernelSymbols::nearest_functions(std::string_view name) const
{
    load_kallsyms();
    const std::scoped_lock locked(nearest_memo->lock);
    if (auto known = nearest_memo->names.find(name); known != nearest_memo->names.end())
        return known->second;
    NearestNames nearest(name);
    for (const auto &candidate : kallsyms)
        nearest.offer(candidate);
    return nearest_memo->names.emplace(std::string(name), nearest.best()).first->second;
}

std::optional<std::string> KernelSymbols::module_of(std::string_view name) const
{
    load_kallsyms();
    auto it = module_functions.find(std::string(name));
    if (it == module_functions.end())
        return std::nullopt;
    return it->second;
}

bool KernelSymbols::is_lsm_hook(std::string_view name) const
{
    load_btf();
    if (!btf_funcs.contains("bpf_lsm_" + std::string(name)))
        return false;
    return !lsm_hooks || lsm_hooks->contains(std::string(name));
}

std::vector<std::string> KernelSymbols::clones_of(std::string_view name) const
{
    load_kallsyms();
    std::vector<std::string> clones;
    const std::string prefix = std::string(name) + ".";
    for (auto it = kallsyms.lower_bound(prefix); it != kallsyms.end() && it->starts_with(prefix); ++it)
        clones.emplace_back(*it);
    return clones;
}

std::optional<int> KernelSymbols::btf_func_nargs(std::string_view name) const
{
    load_btf();
    auto it = btf_funcs.find(std::string(name));
    if (it == btf_funcs.end())
        return std::nullopt;
    return it->second;
}

std::optional<int> KernelSymbols::btf_func_ret_size(std::string_view name) const
{
    load_btf();
    auto it = btf_ret_sizes.find(std::string(name));
    if (it == btf_ret_sizes.end())
        return std::nullopt;
    return it->second;
}

std::optional<bool> KernelSymbols::is_traceable(std::string_view name) const
{
    load_kallsyms();
    if (!traceable)
        return std::nullopt;
    return traceable->contains(std::string(name));
}

std::optional<bool> KernelSymbols::is_blacklisted(std::string_view name) const
{
    load_kallsyms();
    if (!kprobe_blacklist)
        return std::nullopt;
    return kprobe_blacklist->contains(std::string(name));
}

std::optional<bool> KernelSymbols::has_tracepoint(std::string_view category, std::string_view name) const
{
    if (!tracepoints)
        return std::nullopt;
    return tracepoints->contains(fmt::format("{}:{}", category, name));
}

void parse_kallsyms(std::string_view text, KernelSymbols &into)
{
    std::vector<std::string_view> names;
    std::vector<std::pair<std::string_view, std::string_view>> in_modules;  // name, module
    // "ffffffff816e0540 t bprm_execve" or "... t name\t[module]"
    for_each_line(text, [&](std::string_view line) {
        size_t type_pos = line.find(' ');
        if (type_pos == std::string_view::npos || type_pos + 3 > line.size())
            return;
        char type = line[type_pos + 1];
        if (type != 't' && type != 'T')
            return;
        std::string_view name = line.substr(type_pos + 3);
        std::string_view module;
        if (size_t tab = name.find_first_of("\t "); tab != std::string_view::npos) {
            module = name.substr(tab + 1);
            name = name.substr(0, tab);
            if (module.starts_with('[') && module.ends_with(']'))
                in_modules.emplace_back(name, module.substr(1, module.size() - 2));
        }
        names.push_back(name);
    });
    into.kallsyms = NameSet(std::move(names));
    // The first module a name is in, as emplace() kept it: a stable sort by name keeps file order.
    std::stable_sort(in_modules.begin(), in_modules.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    into.module_functions.clear();
    for (const auto &[name, module] : in_modules)
        if (into.module_functions.empty() || into.module_functions.rbegin()->first != name)
            into.module_functions.emplace_hint(into.module_functions.end(), name, module);
}

std::set<std::string> parse_kprobe_blacklist(std::string_view text)
{
    std::vector<std::string_view> names;
    for_each_line(text, [&](std::string_view line) {
        const size_t tab = line.find_first_of("\t ");
        if (tab == std::string_view::npos)
            return;
        std::string_view name = line.substr(line.find_first_not_of("\t ", tab));
        if (size_t end = name.find_first_of("\t "); end != std::string_view::npos)
            name = name.substr(0, end);
        if (!name.empty())
            names.push_back(name);
    });
    return name_set(std::move(names));
}

std::set<std::string> parse_name_list(std::string_view text)
{
    std::vector<std::string_view> names;
    for_each_line(text, [&](std::string_view line) {
        if (size_t end = line.find_first_of(" \t"); end != std::string_view::npos)
            line = line.substr(0, end);
        if (!line.empty() && line.front() != '#')
            names.push_back(line);
    });
    return name_set(std::move(names));
}

KernelSymbols load_recorded_symbols(const std::string &folder)
{
    KernelSymbols s;
    parse_kallsyms(read_text_file(folder + "/kallsyms"), s);
    std::istringstream funcs(read_text_file(folder + "/btf_funcs"));
    for (std::string line; std::getline(funcs, line);) {
        std::istringstream fields(line);
        std::string name;
        int nargs = 0;
        int ret_size = 0;
        if (line.starts_with("#") || !(fields >> name >> nargs))
            continue;
        s.btf_funcs.emplace(name, nargs);
        if (fields >> ret_size)
            s.btf_ret_sizes.emplace(name, ret_size);
    }
    s.btf_typedefs = read_name_list(folder + "/btf_typedefs").value_or(std::set<std::string>{});
    s.lsm_hooks = read_name_list(folder + "/lsm_hooks");
    if (auto release = read_name_list(folder + "/release"); release && !release->empty())
        s.release = *release->begin();
    s.has_btf = !s.btf_funcs.empty();
    s.tracepoints = read_name_list(folder + "/tracepoints");
    s.traceable = read_name_list(folder + "/traceable");
    if (std::filesystem::exists(folder + "/kprobe_blacklist"))
        s.kprobe_blacklist = parse_kprobe_blacklist(read_text_file(folder + "/kprobe_blacklist"));
    return s;
}

const KernelSymbols &live_kernel_symbols()
{
    // Never destroyed: freeing some 300 000 names node by node at exit would cost the process's end
    // a tenth of its time, and nothing reads them after main() returns.
    static const KernelSymbols &symbols = *new KernelSymbols([] {
        KernelSymbols s;
        // The kernel functions' facts come with kallsyms, when a kernel function is resolved: function
        // tracing's list is some 60 000 names, a second to read under emulation, which attaching
        // to a tracepoint should not pay.
        s.kallsyms_source = [](const KernelSymbols &into) {
            KernelSymbols parsed;
            parse_kallsyms(read_text_file("/proc/kallsyms"), parsed);
            into.kallsyms = std::move(parsed.kallsyms);
            into.module_functions = std::move(parsed.module_functions);
            if (auto tracefs = tracefs_mount())
                into.traceable = read_name_list(*tracefs + "/available_filter_functions");
            if (auto debugfs = mount_point_of("debugfs");
                debugfs && std::filesystem::exists(*debugfs + "/kprobes/blacklist"))
                into.kprobe_blacklist = parse_kprobe_blacklist(read_text_file(*debugfs + "/kprobes/blacklist"));
        };
        s.btf_source = [](const KernelSymbols &into) { read_kernel_btf(into); };
        s.release = kernel_release();
        if (auto tracefs = tracefs_mount())
            s.tracepoints = read_name_list(*tracefs + "/available_events");
        return s;
    }());
    return symbols;
}

std::string kernel_release()
{
    struct utsname uts {};
    if (uname(&uts) != 0)
        return "unknown";
    return uts.release;
}

bool release_before(std::string_view release, int major, int minor)
{
    int got_major = 0;
    int got_minor = 0;
    if (std::sscanf(std::string(release).c_str(), "%d.%d", &got_major, &got_minor) != 2)
        return false;
    return got_major < major || (got_major == major && got_minor < minor);
}

std::map<std::string, std::string> parse_kernel_config(std::string_view text)
{
    std::map<std::string, std::string> options;
    for_each_line(text, [&](std::string_view line) {
        if (line.starts_with("CONFIG_")) {
            size_t eq = line.find('=');
            if (eq != std::string_view::npos)
                options.emplace(line.substr(0, eq), line.substr(eq + 1));
        } else if (line.starts_with("# CONFIG_") && line.ends_with(" is not set")) {
            std::string_view name = line.substr(2, line.size() - 2 - std::string_view(" is not set").size());
            options.emplace(name, "");
        }
    });
    return options;
}

std::span<const std::string_view> hook_config_options()
{
    static constexpr std::string_view kOptions[] = {
        "CONFIG_KPROBES",
        "CONFIG_KPROBE_EVENTS",
        "CONFIG_UPROBES",
        "CONFIG_FPROBE",
        "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS",
        "CONFIG_BPF_LSM",
        "CONFIG_DEBUG_INFO_BTF",
    };
    return kOptions;
}

std::optional<std::string> kernel_config_source()
{
    if (std::filesystem::exists("/proc/config.gz"))
        return "/proc/config.gz";
    const std::string boot = "/boot/config-" + kernel_release();
    if (std::filesystem::exists(boot))
        return boot;
    return std::nullopt;
}

std::optional<std::map<std::string, std::string>> read_kernel_config()
{
    auto source = kernel_config_source();
    if (!source)
        return std::nullopt;
    if (source->ends_with(".gz")) {
        auto text = read_gzip_file(*source);
        return text ? std::optional(parse_kernel_config(*text)) : std::nullopt;
    }
    return parse_kernel_config(read_text_file(*source));
}

std::optional<std::string> kernel_config_option(std::string_view option)
{
    static const auto config = read_kernel_config();
    if (!config)
        return std::nullopt;
    auto it = config->find(std::string(option));
    return it == config->end() ? std::string() : it->second;
}

std::optional<std::string> mount_point_of(std::string_view fstype)
{
    std::ifstream mounts("/proc/self/mounts");
    std::string device, path, type, rest;
    while (mounts >> device >> path >> type && std::getline(mounts, rest))
        if (type == fstype)
            return path;
    return std::nullopt;
}

namespace {

constexpr const char *kSecurityfs = "/sys/kernel/security";

// A file of securityfs, read where it is mounted; where it is not, securityfs is mounted for the read
// and unmounted after: probectl leaves the system's mounts as it found them.
Expected<std::string> read_securityfs(std::string_view file)
{
    static std::mutex mounting;  // hook trials run on several threads: one mount at a time
    const std::lock_guard lock(mounting);
    if (auto at = mount_point_of("securityfs"))
        return read_text_file(fmt::format("{}/{}", *at, file));
    if (mount("securityfs", kSecurityfs, "securityfs", 0, nullptr) != 0) {
        const int err = errno;
        return fail(ErrorKind::kernel,
                    fmt::format("securityfs is not mounted and mounting it failed: {}", errno_text(err)), "", err);
    }
    std::string text = read_text_file(fmt::format("{}/{}", kSecurityfs, file));
    if (umount(kSecurityfs) != 0)
        spdlog::warn("securityfs stays mounted at {}: probectl mounted it to read {}, and unmounting failed: {}",
                     kSecurityfs, file, errno_text(errno));
    return text;
}

}  // namespace

Expected<std::vector<std::string>> active_lsms()
{
    auto text = read_securityfs("lsm");
    if (!text)
        return std::unexpected(text.error());
    if (trim(*text).empty())
        return fail(ErrorKind::kernel, fmt::format("{}/lsm is empty or unreadable", kSecurityfs));
    std::vector<std::string> names;
    std::istringstream in(trim(*text));
    for (std::string name; std::getline(in, name, ',');)
        names.push_back(name);
    return names;
}

Expected<std::string> lockdown_mode()
{
    // "none [integrity] confidentiality": the bracketed word is the mode in force.
    auto text = read_securityfs("lockdown");
    if (!text)
        return std::unexpected(text.error());
    const auto open = text->find('['), close = text->find(']');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return fail(ErrorKind::kernel,
                    fmt::format("no lockdown mode in {}/lockdown (no lockdown LSM?)", kSecurityfs));
    return text->substr(open + 1, close - open - 1);
}

bool ringbuf_supported()
{
    return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 1;
}

std::optional<std::string> tracefs_mount()
{
    std::ifstream mounts("/proc/self/mounts");
    std::string device, path, type, rest;
    std::optional<std::string> debugfs_tracing;
    while (mounts >> device >> path >> type && std::getline(mounts, rest)) {
        if (type == "tracefs")
            return path;
        if (type == "debugfs" && std::filesystem::exists(path + "/tracing/events"))
            debugfs_tracing = path + "/tracing";
    }
    return debugfs_tracing;
}

Expected<std::string> ensure_tracefs()
{
    static std::mutex mounting;  // hook trials run on several threads: one mount, not one each
    std::lock_guard lock(mounting);
    if (auto path = tracefs_mount())
        return *path;
    const std::string target = "/sys/kernel/tracing";
    if (mount("tracefs", target.c_str(), "tracefs", 0, nullptr) != 0) {
        int err = errno;
        return fail(
            ErrorKind::tracefs,
            fmt::format("tracefs is not mounted and mounting it at {} failed: {}", target, errno_text(err)),
            "mount it as root: mount -t tracefs tracefs /sys/kernel/tracing", err);
    }
    return target;
}

bool pmu_exists(std::string_view pmu)
{
    return std::filesystem::exists(fmt::format("/sys/bus/event_source/devices/{}/type", pmu));
}

std::optional<int> perf_event_paranoid()
{
    std::ifstream file("/proc/sys/kernel/perf_event_paranoid");
    int level = 0;
    if (file >> level)
        return level;
    return std::nullopt;
}

bool has_capability(int cap)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("CapEff:")) {
            unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
            return (mask >> cap) & 1ULL;
        }
    }
    return false;
}

Expected<void> require_bpf_privileges()
{
    const bool bpf_and_perfmon = has_capability(CAP_BPF) && has_capability(CAP_PERFMON);
    if (bpf_and_perfmon || has_capability(CAP_SYS_ADMIN))
        return {};
    return fail(ErrorKind::permission,
                "loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)",
                "run probectl as root, e.g. with sudo", EPERM);
}

}  // namespace probectl
