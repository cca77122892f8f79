// Writes the fuzz targets' seed corpora: DIR/<target>/seed-N. Raw ring-buffer records of every
// hook (built with probes/event.h, so they track its layout), target strings of every accepted
// form, hostile strings, the project's recorded comparisons (tests/data/compare), and the kernels'
// recorded tracepoint formats and BTF (tests/data/kernel-*).
#include "probes/event.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

void write(const fs::path &dir, const std::vector<std::string> &seeds)
{
    fs::create_directories(dir);
    int n = 0;
    for (const auto &seed : seeds)
        std::ofstream(dir / ("seed-" + std::to_string(n++)), std::ios::binary) << seed;
}

std::string record(pctl_u32 hook, pctl_u32 missing, pctl_u32 truncated, const char *filename, int argc,
                   const char *comm)
{
    pctl_event e{};
    e.ktime_ns = 1000000ull * hook;
    e.retval = hook % 3 == 0 ? -2 : 0;
    e.hook = hook;
    e.pid = e.tgid = 100 + hook;
    e.ppid = 1;
    e.missing = missing;
    e.truncated = truncated;
    e.argc = static_cast<pctl_u32>(argc);
    std::snprintf(e.comm, sizeof(e.comm), "%s", comm);
    std::snprintf(e.filename, sizeof(e.filename), "%s", filename);
    for (int i = 0; i < argc && i < PCTL_MAX_ARGS; i++)
        std::snprintf(e.argv[i], sizeof(e.argv[i]), "arg%d", i);
    return std::string(reinterpret_cast<const char *>(&e), sizeof(e));
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s OUT-DIR SOURCE-DIR\n", argv[0]);
        return 2;
    }
    const fs::path out = argv[1], source = argv[2];
    std::vector<std::string> records;
    for (pctl_u32 hook = 1; hook < PCTL_HOOK_END; hook++)
        records.push_back(record(hook, 0, 0, "/bin/true", 2, "bash"));
    records.push_back(record(PCTL_HOOK_TRACEPOINT, PCTL_MISSING_RETVAL | PCTL_MISSING_OLD_PID,
                             PCTL_TRUNC_ARGC | PCTL_TRUNC_ARG, "/usr/bin/env", PCTL_MAX_ARGS, "\x1b[31mred"));
    records.push_back(
        record(PCTL_HOOK_KRETPROBE, PCTL_MISSING_FILENAME | PCTL_MISSING_ARGV, PCTL_TRUNC_FILENAME, "", 0, "x"));
    records.push_back(records.front().substr(0, 40));
    write(out / "event_decode", records);

    write(out / "target_parse",
          {"execve", "do_execve", "bprm_execve", "syscalls:sys_enter_execve", "sched:sched_process_exec",
           "sched_process_exec", "libc:execve", "/usr/bin/bash:main", "/lib/x86_64-linux-gnu/libc.so.6:execve+4",
           ":", "a:b:c", "", " execve ", "do_execveat_common.isra.0"});

    write(out / "escape",
          {"/bin/true", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\link",
           "\xc2\x9b"
           "31m",
           "\xe2\x80\xae"
           "evil",
           "\xe2\x81\xa6"
           "iso",
           "\xff\xfe\x80", "line\nbreak\r\t", "caf\xc3\xa9", "\xf0\x9f\x98\x80", std::string("nul\0byte", 8)});

    std::vector<std::string> recordings;
    for (const auto &entry : fs::directory_iterator(source / "tests/data/compare")) {
        std::ifstream in(entry.path(), std::ios::binary);
        recordings.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    recordings.push_back("{}");
    recordings.push_back(R"({"format":1,"hooks":[],"execs":[],"events":[]})");
    write(out / "replay", recordings);

    std::vector<std::string> streams;
    for (const auto &r : records)
        streams.push_back(r.substr(0, 200));
    write(out / "compare", streams);
    // values: "\0" + a recorded format file, "\1" + a kernel's recorded BTF (tests/data/kernel-*)
    std::vector<std::string> descriptions;
    for (const auto &entry : fs::recursive_directory_iterator(source / "tests/data")) {
        const std::string path = entry.path().string();
        const bool format = path.find("/formats/") != std::string::npos;
        if (!entry.is_regular_file() || (!format && entry.path().filename() != "btf.raw"))
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        descriptions.push_back(std::string(1, format ? '\0' : '\1') +
                               std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
    }
    write(out / "values", descriptions);
    std::printf("seeds written to %s\n", out.c_str());
    return 0;
}
