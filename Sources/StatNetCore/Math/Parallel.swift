import CKernels
import Dispatch

/// Runs `body(0..<count)` on up to `threads` cores: worker w takes items w, w + threads, ...
/// Which item runs where never changes a result: items write disjoint memory. Every worker
/// flushes denormals to zero while it runs items (`FloatEnvironment`), so results do not
/// depend on which thread ran an item either; each thread's own mode is restored afterwards.
@inline(__always)
public func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = max(1, min(threads, count))
    if workers == 1 {
        FloatEnvironment.withDenormalsFlushed { for i in 0..<count { body(i) } }
        return
    }
    withoutActuallyEscaping(body) { body in
        // The items write disjoint memory (the caller's promise, above), which is what makes
        // sharing `body` across the workers safe; the compiler cannot see that for itself.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            FloatEnvironment.withDenormalsFlushed {
                for i in stride(from: w, to: count, by: workers) { body(i) }
            }
        }
    }
}
