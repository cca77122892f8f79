#include "cli/output_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace probectl {

Expected<void> check_output_file(const std::string &path, std::string_view option)
{
    if (path.empty())
        return {};
    const auto parent = std::filesystem::absolute(path).parent_path();
    if (!std::filesystem::is_directory(parent))
        return fail(ErrorKind::bad_file,
                    fmt::format("{} {}: folder {} does not exist", option, path, parent.string()),
                    "create the folder or give another path");
    return {};
}

Expected<void> write_file(const std::string &path, const std::string &text)
{
    std::ofstream out(path);
    out << text;
    if (!out.flush())
        return fail(ErrorKind::bad_file, fmt::format("cannot write {}", path), "check the path and permissions");
    return {};
}

}  // namespace probectl
