#include "loader/core_btf.h"

#include "loader/kernel_btf.h"

#include <bpf/btf.h>
#include <fmt/format.h>
#include <sys/utsname.h>

#include <cerrno>
#include <filesystem>
#include <vector>

namespace probectl {
namespace {

std::string &path_storage()
{
    static std::string path;
    return path;
}

}  // namespace

Expected<void> use_core_btf(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(
            ErrorKind::bad_file, fmt::format("--btf {}: no such file", path),
            "give a vmlinux or BTF file, e.g. one made by bpftool gen min_core_btf (docs/labs/12-no-btf.md)",
            ENOENT);
    struct btf *btf = btf__parse(path.c_str(), nullptr);
    if (!btf) {
        const int err = errno;
        const std::string why = err > 0 && err < 4000 ? ": " + errno_text(err) : std::string();
        return fail(ErrorKind::bad_file,
                    fmt::format("--btf {}: not a BTF file, nor an ELF file with BTF{}", path, why),
                    "check it with: bpftool btf dump file " + path, err);
    }
    const bool has_types = btf__type_cnt(btf) > 1;
    btf__free(btf);
    if (!has_types)
        return fail(ErrorKind::bad_file, fmt::format("--btf {}: the BTF holds no types", path),
                    "generate it against the kernel's BTF: bpftool gen min_core_btf VMLINUX OUT OBJECT...");
    path_storage() = path;
    return {};
}

void use_kernel_btf()
{
    path_storage().clear();
}

const std::string &core_btf_path()
{
    return path_storage();
}

const bpf_object_open_opts *object_open_options()
{
    thread_local bpf_object_open_opts options;  // hook trials open objects on several threads at once
    options = {};
    options.sz = sizeof(options);
    options.btf_custom_path = path_storage().empty() ? nullptr : path_storage().c_str();
    return &options;
}

const bpf_object_open_opts *object_open_options(const void *elf, std::size_t size)
{
    if (!path_storage().empty())
        return object_open_options();
    thread_local std::string cut;
    thread_local bpf_object_open_opts options;
    options = {};
    options.sz = sizeof(options);
    if (auto path = kernel_btf_cut_for(elf, size)) {
        cut = std::move(*path);
        options.btf_custom_path = cut.c_str();
    }
    return &options;
}

std::vector<std::string> kernel_btf_locations()
{
    utsname name{};
    uname(&name);
    const std::string release = name.release;
    // libbpf 1.1, btf.c: libbpf_find_kernel_btf()
    return {"/sys/kernel/btf/vmlinux",
            "/boot/vmlinux-" + release,
            "/lib/modules/" + release + "/vmlinux-" + release,
            "/lib/modules/" + release + "/build/vmlinux",
            "/usr/lib/modules/" + release + "/kernel/vmlinux",
            "/usr/lib/debug/boot/vmlinux-" + release,
            "/usr/lib/debug/boot/vmlinux-" + release + ".debug",
            "/usr/lib/debug/lib/modules/" + release + "/vmlinux"};
}

}  // namespace probectl
