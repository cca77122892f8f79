#include "loader/bpf_inventory.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <thread>

namespace probectl {

std::vector<std::string> loaded_programs_named(std::string_view prefix)
{
    std::vector<std::string> names;
    __u32 id = 0;
    while (bpf_prog_get_next_id(id, &id) == 0) {
        int fd = bpf_prog_get_fd_by_id(id);
        if (fd < 0)
            continue;  // unloaded meanwhile
        bpf_prog_info info{};
        __u32 length = sizeof(info);
        if (bpf_obj_get_info_by_fd(fd, &info, &length) == 0) {
            std::string name(info.name);
            if (name.starts_with(prefix))
                names.push_back(std::move(name));
        }
        close(fd);
    }
    return names;
}

std::vector<std::string> programs_left_after(std::chrono::milliseconds grace, std::string_view prefix)
{
    const auto deadline = std::chrono::steady_clock::now() + grace;
    auto left = loaded_programs_named(prefix);
    while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        left = loaded_programs_named(prefix);
    }
    return left;
}

}  // namespace probectl
