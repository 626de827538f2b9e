import CKernels

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
