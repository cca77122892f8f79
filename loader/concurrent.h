// Work that mostly waits on the kernel (loading BPF objects, attaching, detaching), done several at
// once: probectl's commands about every hook type try each of them, and one after another they
// spent most of their time waiting (docs/ci-time.md).
#pragma once

#include <cstddef>
#include <functional>

namespace probectl {

// Calls work(0) .. work(count - 1), at most `workers` at a time (on as many threads, each taking
// the next call when done with one; on the caller's thread alone when count or workers is 1), and
// returns when all have returned. An exception a call throws is thrown here once all have ended.
void for_each_at_once(std::size_t count, std::size_t workers, const std::function<void(std::size_t)> &work);

// How many hook trials run at once: each loads a BPF object (libbpf parses the kernel's BTF for it,
// some 10 MB while it lives), then waits on the kernel.
inline constexpr std::size_t kTrialWorkers = 4;

}  // namespace probectl
