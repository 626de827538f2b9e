import Dispatch

/// A monotonic nanosecond clock for timings (named so as not to shadow the standard
/// library's `Clock` protocol).
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    @inline(__always) static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    @inline(__always) static func seconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e9 }
    /// Seconds since `start` (a value of `now`).
    @inline(__always) static func seconds(since start: UInt64) -> Double { seconds(now - start) }
}
