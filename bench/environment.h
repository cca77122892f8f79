// The machine a benchmark ran on, recorded with every result: kernel, CPU, cores, virtualisation,
// mitigations.
#pragma once

#include "bench/results.h"

namespace probectl::bench {

Environment read_environment();

// "QEMU TCG CPU" or a kernel command line with probectl.emulated: software emulation.
bool looks_emulated(std::string_view cpu_model, std::string_view cmdline);

}  // namespace probectl::bench
