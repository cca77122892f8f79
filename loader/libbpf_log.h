// libbpf prints warnings and verifier logs through a callback; probectl routes them through spdlog
// so that they appear only with -v and never in the middle of event output.
#pragma once

namespace probectl {

// Installs the callback. verbosity 0: libbpf silent; 1: libbpf warnings and info; 2: debug too.
void route_libbpf_log(int verbosity);

}  // namespace probectl
