/// The process-wide setting training runs under, set for the length of a call and restored
/// afterwards, so that creating a `Trainer` or a `Learner` changes nothing global.
///
/// OpenBLAS runs single-threaded inside: the parallelism is over the four branches, one core
/// each (see `Learner`), and OpenBLAS threads poorly at 64 rows. (Denormal flushing is scoped
/// by `parallelFor` itself.) Results do not depend on this setting, only the speed does.
public enum TrainingEnvironment {
    public static func run<R>(_ body: () throws -> R) rethrows -> R {
        let saved = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(saved) }
        return try body()
    }
}
