// probectl doctor: what this kernel and this process can do for BPF tracing, and why not.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace probectl {

struct DoctorReport {
    struct ConfigOption {
        std::string name;                  // "CONFIG_KPROBES"
        std::optional<std::string> value;  // "y", "m", a value, "" for not set; nullopt: config unreadable
    };
    struct Mount {
        std::string fstype;               // "tracefs"
        std::optional<std::string> path;  // nullopt: not mounted
    };
    struct Capability {
        std::string name;  // "CAP_BPF"
        bool effective = false;
    };
    struct Hook {
        std::string name;
        bool works = false;
        std::string reason;
        std::string evidence;
    };

    std::string release;
    bool emulated = false;  // software CPU emulation (qemu TCG), as bench reads it
    bool btf = false;
    std::optional<std::string> config_source;
    std::vector<ConfigOption> config;
    std::string lockdown;  // the mode, or why it is unknown
    std::vector<Mount> mounts;
    std::vector<Capability> capabilities;
    std::optional<int> perf_event_paranoid;  // nullopt: unreadable
    bool ringbuf = false;
    std::vector<Hook> hooks;
};

// Reads the facts and tries every hook type (a real load and attach, cached).
DoctorReport collect_doctor_report();
std::string doctor_text(const DoctorReport &report);
nlohmann::json doctor_json(const DoctorReport &report);

}  // namespace probectl
