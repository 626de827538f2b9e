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

/// The calling thread's floating-point mode. Training flushes denormals to zero: Adam's
/// first moment of a rarely used weight decays into the denormal range within an epoch, where
/// x86 arithmetic is up to 100 times slower (measured: epochs 3x slower from the second on).
/// Values below 1.2e-38 then count as 0, which changes no result that matters.
public enum FloatEnvironment {
    /// Runs `body` with denormals flushed to zero on this thread, then restores its mode.
    @inline(__always)
    public static func withDenormalsFlushed<R>(_ body: () throws -> R) rethrows -> R {
        let saved = statnet_fp_mode()
        statnet_flush_denormals()
        defer { statnet_set_fp_mode(saved) }
        return try body()
    }

    public static var flushesDenormals: Bool { statnet_flushes_denormals() != 0 }
}
