import Dispatch

/// Runs `body(0..<count)` on up to `threads` cores: worker w takes items w, w + threads, ...
/// Which item runs where never changes a result: items write disjoint memory.
@inline(__always)
public func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: count, by: workers) { body(i) }
        }
    }
}
