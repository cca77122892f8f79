// Events that are not syscalls, each declared once: its name (hyphenated, so that no kernel symbol
// has it), what happens, and where each hook type sees it. `probectl attach --type T NAME` and
// `probectl explain NAME` resolve the hook's declared point as if it had been named; a hook that
// cannot see the event has the reason instead. Syscalls are events too, with no declaration each
// (attach/syscall_event.h); docs/events.md lists both and says how to add one.
#pragma once

#include "attach/resolve.h"
#include "loader/error.h"
#include "loader/hook_info.h"
#include "loader/kernel_facts.h"

#include <string_view>
#include <vector>

namespace probectl {

// Where the hooks of one target kind see an event: an attach point as attach takes it, or, empty,
// none (then why says why). A point that sees more or less than the event (every state change, one
// syscall of several) says so in its note, which resolution passes on as the target's note.
struct EventPoint {
    TargetKind kind = TargetKind::kernel_function;
    std::string_view target;
    std::string_view why = {};
    std::string_view note = {};
};

// A hook type that attaches where its kind's point says but never sees the event there.
struct UnseenBy {
    std::string_view hook;
    std::string_view why;
};

struct CatalogueEvent {
    std::string_view name;  // process-exit
    std::string_view what;  // one line: what happens
    std::vector<EventPoint> points;
    std::vector<UnseenBy> unseen = {};
};

const std::vector<CatalogueEvent> &event_catalogue();
const CatalogueEvent *find_catalogue_event(std::string_view name);

// Where this hook type sees the event on this kernel, or why it cannot.
Expected<ResolvedTarget> resolve_catalogue_event(const HookInfo &hook, const CatalogueEvent &event,
                                                 const KernelSymbols &symbols, const ResolveOptions &options);

}  // namespace probectl
