// A uprobe sits on an inode, not on a path. When the binary at the path is deleted or replaced
// (a package upgrade renames a new file over it), the probe stays on the old file and programs
// started afterwards run the new one, unseen. BinaryWatch notices that, so probectl can say it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace probectl {

class BinaryWatch {
public:
    // Remembers which file `path` names now; does nothing for a path that cannot be stat'ed.
    explicit BinaryWatch(std::string path);

    // Once, when the path no longer names the same file: what happened, in words. nullopt otherwise.
    std::optional<std::string> changed();

private:
    std::string path_;
    bool known_ = false;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    bool reported_ = false;
};

}  // namespace probectl
