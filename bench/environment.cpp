#include "bench/environment.h"

#include "loader/kernel_facts.h"
#include "loader/text.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

namespace probectl::bench {
namespace {

std::string cpu_model()
{
    for (const auto &line : split(read_text_file("/proc/cpuinfo"), '\n'))
        if (line.starts_with("model name") || line.starts_with("Model"))
            if (const auto colon = line.find(':'); colon != std::string::npos)
                return trim(std::string_view(line).substr(colon + 1));
    return "unknown";
}

bool has_hypervisor_flag()
{
    return read_text_file("/proc/cpuinfo").find(" hypervisor") != std::string::npos;
}

std::string virtualization(bool emulated)
{
    namespace fs = std::filesystem;
    std::string what;
    // A probectl VM guest sees its host's root, /.dockerenv included: it is not a container itself.
    if (!emulated && fs::exists("/.dockerenv"))
        what = "docker";
    else if (!emulated && read_text_file("/proc/1/environ").find("container=") != std::string::npos)
        what = "container";
    std::string machine = trim(read_text_file("/sys/class/dmi/id/sys_vendor"));
    if (emulated)
        machine = "qemu (TCG, software emulation)";
    else if (has_hypervisor_flag())
        machine = machine.empty() ? "a hypervisor" : fmt::format("a hypervisor ({})", machine);
    else
        machine.clear();
    if (what.empty() && machine.empty())
        return "none seen";
    if (what.empty())
        return machine;
    return machine.empty() ? what : fmt::format("{} on {}", what, machine);
}

std::vector<std::pair<std::string, std::string>> mitigations()
{
    std::vector<std::pair<std::string, std::string>> found;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/sys/devices/system/cpu/vulnerabilities", ec))
        found.emplace_back(entry.path().filename().string(), trim(read_text_file(entry.path().string())));
    std::ranges::sort(found);
    return found;
}

}  // namespace

bool looks_emulated(std::string_view cpu_model, std::string_view cmdline)
{
    return cpu_model.find("QEMU TCG") != std::string_view::npos ||
           cmdline.find("probectl.emulated") != std::string_view::npos;
}

Environment read_environment()
{
    Environment env;
    env.date = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                           std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    env.kernel = kernel_release();
    env.cpu_model = cpu_model();
    env.cores = std::thread::hardware_concurrency();
    env.emulated = looks_emulated(env.cpu_model, read_text_file("/proc/cmdline"));
    env.virtualization = virtualization(env.emulated);
    env.mitigations = mitigations();
    return env;
}

}  // namespace probectl::bench
