// Kernel lockdown in confidentiality mode forbids BPF programs to read kernel memory: every
// probectl hook is refused at load, and probectl must say that it is the lockdown, not a missing
// feature. Raising lockdown cannot be undone until reboot, so the test raises it only inside a
// throwaway VM (PROBECTL_IN_VM, set by scripts/vm/guest-init.sh), as the matrix's last row.
#include <catch2/catch.hpp>

#include <sys/mount.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "attach/registry.h"
#include "loader/bpf_inventory.h"
#include "loader/kernel_facts.h"
#include "tests/kernel/expected_hooks.h"
#include "tests/support/process.h"

using namespace probectl;
using namespace probectl::test;

TEST_CASE("lockdown confidentiality: every hook refused, and probectl names the lockdown", "[lockdown]")
{
    auto mode = lockdown_mode();
    if (!mode) {
        std::cout << "SKIPPED: lockdown: " << mode.error().message << "\n";
        return;
    }
    if (*mode != "confidentiality") {
        if (!std::getenv("PROBECTL_IN_VM")) {
            std::cout << "SKIPPED: lockdown: lockdown is '" << *mode
                      << "' here, and raising it to confidentiality lasts until reboot: the VM matrix does it\n";
            return;
        }
        // probectl reads securityfs without leaving it mounted: the test mounts it to write there
        if (!mount_point_of("securityfs"))
            REQUIRE(mount("securityfs", "/sys/kernel/security", "securityfs", 0, nullptr) == 0);
        std::ofstream("/sys/kernel/security/lockdown") << "confidentiality";
        mode = lockdown_mode();
        REQUIRE(mode);
        REQUIRE(*mode == "confidentiality");
    }

    const std::string because = "kernel lockdown is in confidentiality mode, which forbids BPF programs to read "
                                "kernel memory (bpf_probe_read_kernel)";
    auto doctor = run({probectl_binary(), "doctor"});
    CHECK(doctor.out.find("lockdown    confidentiality (BPF programs may not read kernel memory: no probectl hook "
                          "can load)") != std::string::npos);

    auto list = run({probectl_binary(), "list", "--json"});
    REQUIRE(list.exit_code == 0);
    const auto rows = nlohmann::json::parse(list.out);  // one document: an array
    for (const auto &row : rows) {
        INFO(row.dump());
        CHECK(row["supported"] == false);
        CHECK(row["refused_by"] == "kernel");
        // A hook the kernel lacks altogether (lsm and kprobe.multi on 5.10) gives that reason first.
        const auto lacking = expected_unsupported_reason(row["hook"].get<std::string>());
        CHECK(row["reason"].get<std::string>().starts_with(lacking.value_or(because)));
    }
    CHECK(rows.size() == Registry::instance().all().size());  // one row per registered hook

    auto attach = run({probectl_binary(), "attach", "--type", "tracepoint", "execve", "--duration", "1"});
    CHECK(attach.exit_code == 7);
    CHECK(attach.err.find("probectl: error: tracepoint is not supported on this kernel: " + because) !=
          std::string::npos);
    CHECK(programs_left_after(unload_grace()).empty());
}
