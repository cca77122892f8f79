// Ctrl-C and SIGTERM end a streaming command: the handler only records the signal, without
// SA_RESTART, so a waiting poll returns at once and the command drains, detaches and summarises.
#pragma once

#include <string>

namespace probectl {

void install_stop_handlers();
// The signal that asked to stop, 0 when none.
int stop_signal();
// "Ctrl-C" or "SIGTERM".
std::string stop_signal_name(int signal);

}  // namespace probectl
