// Whether a hook type works on this kernel, found by trying (a real load and attach at its exec
// attach point, filtered to no process), cached for the life of the process; and the reason in
// words when it does not.
#pragma once

#include "attach/strategy.h"
#include "loader/error.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace probectl {

struct Support {
    bool supported = false;
    std::string reason;    // why not, in words; empty when supported
    std::string evidence;  // what shows it: the config line, the missing file, the errno
    int err = 0;           // the errno behind it, when there was one
    // unsupported: the kernel lacks it; permission: this process lacks a capability it needs
    ErrorKind kind = ErrorKind::unsupported;
};

struct FailureCause {
    std::string reason;
    std::string evidence;
    ErrorKind kind = ErrorKind::unsupported;
};

// Thread-safe: a trial runs once per hook type and process.
const Support &hook_support(const AttachStrategy &strategy);

// The same answer from a failure the caller already had where the trial would try (execve), when
// explain_failure() finds its cause in the kernel (no CONFIG_KPROBES, tracing programs refused), so
// that nothing is loaded a second time to learn it; otherwise the trial runs. The trial's own
// answer when it ran first.
const Support &hook_support_after(const AttachStrategy &strategy, const Error &failure);

// The trials of these hook types, several at once (each mostly waits on the kernel: loading,
// attaching, detaching), for a command that asks about each of them; hook_support() then answers
// from what they found.
void try_hooks(std::span<const AttachStrategy *const> hooks);
void try_all_hooks();

// "not supported on this kernel" or "not permitted with these privileges", for a Support that failed.
std::string_view unsupported_verdict(const Support &support);

// The kernel-wide cause of a failed load or attach, in words ("kernel built without
// CONFIG_KPROBES") with its evidence; the error's own message when no such cause is known.
FailureCause explain_failure(const HookInfo &hook, const Error &error);

// strategy.attach(), and when it fails, an error that says whether the hook type is unsupported
// here (ErrorKind::unsupported), needs a capability probectl lacks (ErrorKind::permission), or only
// this target cannot be used.
Expected<std::unique_ptr<BpfProbe>> attach_or_explain(const AttachStrategy &strategy, const ResolvedTarget &target,
                                                      const ProbeFilter &filter);

}  // namespace probectl
