#include "loader/own_files.h"

#include <climits>
#include <optional>
#include <unistd.h>

#include "probectl_build_paths.h"

namespace probectl {
namespace {

namespace fs = std::filesystem;

fs::path binary_dir()
{
    return fs::path(own_binary()).parent_path();
}

// PREFIX/<relative> for the prefix the binary is installed under, when that folder exists.
std::optional<fs::path> installed(const char *relative_to_binary)
{
    std::error_code ec;
    fs::path path = (binary_dir() / relative_to_binary).lexically_normal();
    return fs::is_directory(path, ec) ? std::optional(path) : std::nullopt;
}

}  // namespace

std::string own_binary()
{
    char path[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    return n > 0 ? std::string(path, static_cast<size_t>(n)) : "/proc/self/exe";
}

fs::path own_helper(const std::string &name)
{
    std::error_code ec;
    if (fs::path beside = binary_dir() / name; fs::exists(beside, ec))
        return beside;
    return (binary_dir() / PROBECTL_INSTALL_LIBEXEC_FROM_BIN / name).lexically_normal();
}

fs::path exercises_dir()
{
    if (auto data = installed(PROBECTL_INSTALL_DATA_FROM_BIN))
        return *data / "exercises";
    return fs::path(PROBECTL_BUILD_SOURCE_DIR) / "labs" / "exercises";
}

fs::path vmlinux_header_dir()
{
    if (auto data = installed(PROBECTL_INSTALL_DATA_FROM_BIN))
        return *data / "include";
    return PROBECTL_BUILD_BPF_GEN_DIR;
}

}  // namespace probectl
