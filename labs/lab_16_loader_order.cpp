// Lab 16: what a loader tells the kernel, in order. libbpf loading one object makes a series of
// bpf() system calls: the object's BTF first (BPF_BTF_LOAD), then each map (BPF_MAP_CREATE, with
// that BTF's fd and its key and value type ids where BTF can describe them), then each program
// (BPF_PROG_LOAD, with func_info and line_info that point into the same BTF). The lab records
// those calls with two tracepoint programs on the bpf() syscall (probes/lab_loader_watch.bpf.c)
// while it loads probes/lab_loader.bpf.c, then asks the kernel what it kept: what `bpftool btf
// list`, `bpftool btf dump prog` and `bpftool map dump` show.
#include "labs/labs_list.h"

#include "probes/lab_loader.h"  // before the skeletons, whose globals have its types

#include "lab_loader.skel.h"
#include "lab_loader_watch.skel.h"
#include "labs/exec_capture.h"
#include "loader/core_btf.h"
#include "loader/text.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <memory>
#include <unistd.h>

namespace probectl::lab {
namespace {

using Call = lab_bpf_call;  // one bpf() call as probes/lab_loader_watch.bpf.c recorded it

struct MapSeen {
    std::uint32_t btf_id = 0, key_type_id = 0, value_type_id = 0;  // as the kernel keeps them
};

struct Seen {
    std::vector<Call> calls;  // the lab thread's bpf() calls while the object loaded, in order
    MapSeen values, events;   // the hash map, the perf event array
    std::uint32_t prog_btf_id = 0, nr_func_info = 0, nr_line_info = 0;
    // The program's FUNC in the kernel's copy of the object's BTF, as `bpftool btf dump` shows it.
    std::uint32_t func_type_id = 0, func_linkage = 0, proto_params = 0;
    std::string func_name, param_kind, param_points_to;
    std::uint64_t calls_counted = 0;  // the hash map's value after two getppid() calls
    std::string dump;                 // that entry, dumped with its field names from the map's BTF
    std::string no_tracepoint;        // why nothing can be watched here
};

std::string command_name(std::uint32_t cmd)
{
    switch (cmd) {
    case BPF_MAP_CREATE: return "BPF_MAP_CREATE";
    case BPF_MAP_LOOKUP_ELEM: return "BPF_MAP_LOOKUP_ELEM";
    case BPF_MAP_UPDATE_ELEM: return "BPF_MAP_UPDATE_ELEM";
    case BPF_PROG_LOAD: return "BPF_PROG_LOAD";
    case BPF_OBJ_GET_INFO_BY_FD: return "BPF_OBJ_GET_INFO_BY_FD";
    case BPF_BTF_LOAD: return "BPF_BTF_LOAD";
    case BPF_MAP_FREEZE: return "BPF_MAP_FREEZE";
    case BPF_LINK_CREATE: return "BPF_LINK_CREATE";
    case 36: return "BPF_TOKEN_CREATE";  // 6.9's, which the build machine's headers may not have
    default: return fmt::format("bpf() command {}", cmd);
    }
}

std::string call_name(const Call &call)
{
    return std::string(call.name, strnlen(call.name, sizeof(call.name)));
}

std::string describe_call(const Call &call)
{
    if ((call.cmd == BPF_PROG_LOAD || call.cmd == BPF_MAP_CREATE) && call_name(call).empty())
        return fmt::format("{:<16} without a name: libbpf probing what this kernel supports",
                           command_name(call.cmd));
    const std::string result =
        call.ret >= 0 ? fmt::format("fd {}", call.ret) : errno_text(static_cast<int>(-call.ret));
    switch (call.cmd) {
    case BPF_BTF_LOAD:
        return fmt::format("{:<16} {} bytes of BTF -> {}", command_name(call.cmd), call.btf_size, result);
    case BPF_MAP_CREATE: {
        const char *type = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(call.type));
        const std::string btf = call.key_type_id == 0 && call.value_type_id == 0
                                    ? "no key or value type"
                                    : fmt::format("btf fd {}, key type [{}], value type [{}]", call.btf_fd,
                                                  call.key_type_id, call.value_type_id);
        return fmt::format("{:<16} {} ({}), {} -> {}", command_name(call.cmd), call_name(call), type ? type : "?",
                           btf, result);
    }
    case BPF_PROG_LOAD: {
        const char *type = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(call.type));
        return fmt::format("{:<16} {} ({}), btf fd {}, {} func_info, {} line_info -> {}", command_name(call.cmd),
                           call_name(call), type ? type : "?", call.btf_fd, call.func_info_cnt, call.line_info_cnt,
                           result);
    }
    default: return fmt::format("{:<16} -> {}", command_name(call.cmd), call.ret >= 0 ? "ok" : result);
    }
}

// Index of the first call with that command (and name, if given); calls.size() if none.
std::size_t find_call(const std::vector<Call> &calls, std::uint32_t cmd, std::string_view name = "")
{
    for (std::size_t i = 0; i < calls.size(); i++)
        if (calls[i].cmd == cmd && (name.empty() || call_name(calls[i]) == name))
            return i;
    return calls.size();
}

MapSeen map_seen(int fd)
{
    bpf_map_info info{};
    std::uint32_t length = sizeof(info);
    if (bpf_map_get_info_by_fd(fd, &info, &length) != 0)
        return {};
    return {info.btf_id, info.btf_key_type_id, info.btf_value_type_id};
}

void append_printf(void *out, const char *format, va_list args)
{
    *static_cast<std::string *>(out) += format_va(format, args);
}

// The program's FUNC and the hash map's entry, read back through the kernel's copy of the BTF.
void read_back(lab_loader_bpf *skel, Seen &seen)
{
    const int prog_fd = bpf_program__fd(skel->progs.lab_count_calls);
    bpf_func_info func{};
    bpf_prog_info info{};
    std::uint32_t length = sizeof(info);
    info.nr_func_info = 1;
    info.func_info_rec_size = sizeof(func);
    info.func_info = reinterpret_cast<std::uintptr_t>(&func);
    if (bpf_prog_get_info_by_fd(prog_fd, &info, &length) != 0)
        return;
    seen.prog_btf_id = info.btf_id;
    seen.nr_func_info = info.nr_func_info;
    seen.nr_line_info = info.nr_line_info;
    seen.values = map_seen(bpf_map__fd(skel->maps.lab_values));
    seen.events = map_seen(bpf_map__fd(skel->maps.lab_events));

    const std::unique_ptr<btf, decltype(&btf__free)> kept(btf__load_from_kernel_by_id(info.btf_id), btf__free);
    if (!kept)
        return;
    seen.func_type_id = func.type_id;
    const btf_type *function = btf__type_by_id(kept.get(), func.type_id);
    if (function && btf_is_func(function)) {
        seen.func_name = btf__name_by_offset(kept.get(), function->name_off);
        seen.func_linkage = btf_vlen(function);
        const btf_type *proto = btf__type_by_id(kept.get(), function->type);
        if (proto && btf_is_func_proto(proto)) {
            seen.proto_params = btf_vlen(proto);
            const btf_type *param =
                seen.proto_params ? btf__type_by_id(kept.get(), btf_params(proto)[0].type) : nullptr;
            if (param && btf_is_ptr(param)) {
                seen.param_kind = "PTR";
                seen.param_points_to = param->type == 0 ? "[0] void" : fmt::format("[{}]", param->type);
            }
        }
    }

    // One entry for this process; the program counts its getppid() calls into it.
    lab_key key{static_cast<std::uint32_t>(getpid())};
    lab_value value{};
    bpf_map__update_elem(skel->maps.lab_values, &key, sizeof(key), &value, sizeof(value), BPF_ANY);
    if (lab_loader_bpf::attach(skel) != 0)
        return;
    getppid();
    getppid();
    lab_loader_bpf::detach(skel);
    if (bpf_map__lookup_elem(skel->maps.lab_values, &key, sizeof(key), &value, sizeof(value), 0) != 0)
        return;
    seen.calls_counted = value.calls;
    btf_dump *dumper = btf_dump__new(kept.get(), append_printf, &seen.dump, nullptr);
    if (!dumper)
        return;
    seen.dump += "key: ";
    btf_dump__dump_type_data(dumper, seen.values.key_type_id, &key, sizeof(key), nullptr);
    seen.dump += "\nvalue: ";
    btf_dump__dump_type_data(dumper, seen.values.value_type_id, &value, sizeof(value), nullptr);
    btf_dump__free(dumper);
}

Expected<Seen> experiment()
{
    Seen seen;
    seen.no_tracepoint = hook_problem("tracepoint");
    if (!seen.no_tracepoint.empty())
        return seen;
    lab_loader_watch_bpf *watch = lab_loader_watch_bpf::open(object_open_options());
    if (!watch)
        return fail(ErrorKind::kernel, "opening the lab's BPF object failed: " + errno_text(errno));
    watch->rodata->watched_tid = static_cast<std::uint32_t>(gettid());
    if (int err = lab_loader_watch_bpf::load(watch); err != 0) {
        lab_loader_watch_bpf::destroy(watch);
        return fail(ErrorKind::kernel, "the lab's bpf() watcher failed to load: " + errno_text(-err));
    }
    if (int err = lab_loader_watch_bpf::attach(watch); err != 0) {
        lab_loader_watch_bpf::destroy(watch);
        return fail(ErrorKind::kernel, "the lab's bpf() watcher failed to attach: " + errno_text(-err));
    }
    watch->bss->lab_watching = 1;
    lab_loader_bpf *skel = lab_loader_bpf::open(object_open_options());
    const int load_error = skel ? lab_loader_bpf::load(skel) : -errno;
    lab_loader_watch_bpf::detach(watch);
    const auto &bss = *watch->bss;
    seen.calls.assign(bss.lab_calls, bss.lab_calls + std::min<std::uint32_t>(bss.lab_count, LAB_CALLS));
    lab_loader_watch_bpf::destroy(watch);
    if (load_error != 0) {
        lab_loader_bpf::destroy(skel);
        return fail(ErrorKind::kernel, "loading probes/lab_loader.bpf.c failed: " + errno_text(-load_error));
    }
    read_back(skel, seen);
    lab_loader_bpf::destroy(skel);
    return seen;
}

// btf_dump's lines, on one line for an observation's detail.
std::string one_line(const std::string &text)
{
    std::string out;
    for (const auto &line : split(text, '\n'))
        out += (out.empty() ? "" : " ") + trim(line);
    return out;
}

struct Indexes {
    std::size_t btf, values, events, program;
};

Indexes indexes(const Seen &seen)
{
    Indexes at{seen.calls.size(), find_call(seen.calls, BPF_MAP_CREATE, "lab_values"),
               find_call(seen.calls, BPF_MAP_CREATE, "lab_events"),
               find_call(seen.calls, BPF_PROG_LOAD, "lab_count_calls")};
    if (at.values < seen.calls.size())
        for (std::size_t i = 0; i < seen.calls.size(); i++)
            if (seen.calls[i].cmd == BPF_BTF_LOAD && seen.calls[i].ret == seen.calls[at.values].btf_fd)
                at.btf = i;
    return at;
}

Expected<std::string> run()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    if (!seen->no_tracepoint.empty())
        return seen->no_tracepoint + "\n";
    std::string out = "The bpf() calls libbpf made to load probes/lab_loader.bpf.c, in order:\n";
    for (std::size_t i = 0; i < seen->calls.size(); i++)
        out +=
            wrap(describe_call(seen->calls[i]), 78, fmt::format("  {:>2}. ", i + 1), "                        ");
    out += "(libbpf moves each new map's fd onto one it reserved at open: numbers repeat)\n";
    out += fmt::format("\nWhat the kernel kept (bpftool prog show / map show / btf list):\n"
                       "    program lab_count_calls: btf_id {}, {} func_info, {} line_info\n"
                       "    map lab_values: btf_id {}, key type [{}], value type [{}]\n"
                       "    map lab_events: btf_id {} (a perf event array holds fds: no BTF)\n",
                       seen->prog_btf_id, seen->nr_func_info, seen->nr_line_info, seen->values.btf_id,
                       seen->values.key_type_id, seen->values.value_type_id, seen->events.btf_id);
    out += fmt::format("\nIn BTF {} (bpftool btf dump id {}):\n"
                       "    [{}] FUNC '{}' linkage {} (its vlen: 0 static, 1 global)\n"
                       "    its FUNC_PROTO has {} parameter(s): ctx, a {} (passed in R1) to {}\n"
                       "    (id 0 is never stored: it means void)\n",
                       seen->prog_btf_id, seen->prog_btf_id, seen->func_type_id, seen->func_name,
                       seen->func_linkage, seen->proto_params, seen->param_kind, seen->param_points_to);
    out += fmt::format("\nlab_values after two getppid() calls, dumped with its BTF (bpftool map dump):\n{}\n",
                       seen->dump);
    out += "\nLook at: bpftool btf list while `probectl attach` runs: which maps are listed\n"
           "beside a BTF, and which are not.\n";
    return out;
}

Expected<std::vector<Observation>> check()
{
    auto seen = experiment();
    if (!seen)
        return std::unexpected(seen.error());
    const std::vector<std::string> claims = {
        "libbpf loads the object's BTF first, then creates each map, then loads the program",
        "the hash map is created with the BTF's fd and its key and value type ids; the perf event array "
        "with none, and the kernel keeps no BTF for it (bpftool btf list does not name it)",
        "the program is loaded with the same BTF, its func_info and its line_info, which the kernel keeps",
        "func_info names the program's FUNC; its FUNC_PROTO has one parameter, ctx: a pointer to type id 0, "
        "which no type has: it means void",
        "the hash map's entry dumps with its field names from the map's BTF, and the program counted two "
        "getppid() calls in it",
    };
    if (!seen->no_tracepoint.empty())
        return none_checkable(claims, seen->no_tracepoint);
    const Indexes at = indexes(*seen);
    const std::size_t n = seen->calls.size();
    std::vector<Observation> out;
    const bool found = at.btf < n && at.values < n && at.events < n && at.program < n;
    out.push_back(observe(claims[0],
                          found && at.btf < at.values && at.btf < at.events && at.values < at.program &&
                              at.events < at.program,
                          found ? fmt::format("calls #{} BTF, #{} lab_values, #{} lab_events, #{} lab_count_calls",
                                              at.btf + 1, at.values + 1, at.events + 1, at.program + 1)
                                : fmt::format("{} bpf() calls recorded; not all four of the object's found", n)));
    if (!found) {
        for (std::size_t i = 1; i < claims.size(); i++)
            out.push_back(skipped(claims[i], "the object's calls were not recorded"));
        return out;
    }
    const Call &btf = seen->calls[at.btf], &values = seen->calls[at.values], &events = seen->calls[at.events],
               &program = seen->calls[at.program];
    out.push_back(
        observe(claims[1],
                values.key_type_id != 0 && values.value_type_id != 0 && events.key_type_id == 0 &&
                    events.value_type_id == 0 && seen->values.btf_id != 0 &&
                    seen->values.btf_id == seen->prog_btf_id && seen->events.btf_id == 0,
                fmt::format("{}; {}; kernel: lab_values btf_id {}, lab_events btf_id {}", describe_call(values),
                            describe_call(events), seen->values.btf_id, seen->events.btf_id)));
    out.push_back(observe(claims[2],
                          program.btf_fd == static_cast<std::uint32_t>(btf.ret) && program.func_info_cnt >= 1 &&
                              program.line_info_cnt >= 1 && seen->nr_func_info == program.func_info_cnt &&
                              seen->nr_line_info == program.line_info_cnt,
                          fmt::format("{}; kernel: {} func_info, {} line_info", describe_call(program),
                                      seen->nr_func_info, seen->nr_line_info)));
    out.push_back(
        observe(claims[3],
                seen->func_name == "lab_count_calls" && seen->proto_params == 1 && seen->param_kind == "PTR" &&
                    seen->param_points_to == "[0] void",
                fmt::format("[{}] FUNC '{}', {} parameter(s), a {} to {}", seen->func_type_id, seen->func_name,
                            seen->proto_params, seen->param_kind, seen->param_points_to)));
    out.push_back(observe(claims[4],
                          seen->calls_counted == 2 && seen->dump.find(".calls = ") != std::string::npos &&
                              seen->dump.find(".tgid = ") != std::string::npos,
                          fmt::format("calls = {}; {}", seen->calls_counted, one_line(seen->dump))));
    return out;
}

}  // namespace

Lab lab_16_loader_order()
{
    return {16,  "loader-order", "What a loader tells the kernel, in order: BTF, maps, programs",
            run, check,          {"tracepoint"}};
}

}  // namespace probectl::lab
