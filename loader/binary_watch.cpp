#include "loader/binary_watch.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>

namespace probectl {

BinaryWatch::BinaryWatch(std::string path) : path_(std::move(path))
{
    struct stat st {};
    if (stat(path_.c_str(), &st) == 0) {
        known_ = true;
        device_ = st.st_dev;
        inode_ = st.st_ino;
    }
}

std::optional<std::string> BinaryWatch::changed()
{
    if (!known_ || reported_)
        return std::nullopt;
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0) {
        if (errno != ENOENT)
            return std::nullopt;
        reported_ = true;
        return fmt::format("{} was deleted while attached: the uprobe stays on the deleted file (inode {}), which "
                           "only processes already running it still use",
                           path_, inode_);
    }
    if (st.st_dev == device_ && st.st_ino == inode_)
        return std::nullopt;
    reported_ = true;
    return fmt::format(
        "{} was replaced while attached (inode {} is now {}): the uprobe stays on the old file, and "
        "programs started from the new one are not seen; attach again to follow it",
        path_, inode_, st.st_ino);
}

}  // namespace probectl
