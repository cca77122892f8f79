#include "loader/concurrent.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace probectl {

void for_each_at_once(std::size_t count, std::size_t workers, const std::function<void(std::size_t)> &work)
{
    if (count == 0)
        return;
    if (count == 1 || workers <= 1) {
        for (std::size_t i = 0; i < count; ++i)
            work(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::mutex failing;
    std::exception_ptr failure;  // the first exception a call threw, thrown again here
    auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(failing);
                if (!failure)
                    failure = std::current_exception();
            }
        }
    };
    {
        std::vector<std::jthread> threads;
        for (std::size_t w = 0; w < std::min(count, workers); ++w)
            threads.emplace_back(worker);
    }  // joined
    if (failure)
        std::rethrow_exception(failure);
}

}  // namespace probectl
