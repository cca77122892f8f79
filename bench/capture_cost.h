// The micro tier's second table: what probectl's own capture objects cost per event at the micro
// tier's attach point, with the events read, the exec object against the generic one.
#pragma once

#include "attach/resolve.h"
#include "attach/strategy.h"
#include "bench/results.h"
#include "bench/trigger.h"

namespace probectl::bench {

struct CaptureOptions {
    int samples = 3;
    double sample_seconds = 0.2;
};

// The hook's two objects at target (resolved off the exec path, so generic), each attached alone and
// filtered to this process, sampled right after a no-hook baseline of the same trigger. Batches of
// calls are timed; the ring buffer is read between batches, outside the timing.
CaptureCost measure_capture(const AttachStrategy &strategy, const ResolvedTarget &target, Trigger trigger,
                            const CaptureOptions &options);

}  // namespace probectl::bench
