#include "loader/stop_signal.h"

#include <atomic>
#include <csignal>

namespace probectl {
namespace {

std::atomic<int> g_stop_signal{0};

void on_stop_signal(int signal)
{
    g_stop_signal.store(signal);
}

}  // namespace

void install_stop_handlers()
{
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int stop_signal()
{
    return g_stop_signal.load();
}

std::string stop_signal_name(int signal)
{
    return signal == SIGINT ? "Ctrl-C" : "SIGTERM";
}

}  // namespace probectl
