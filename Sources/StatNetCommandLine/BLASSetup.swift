import Foundation
import StatNet

/// OpenBLAS 0.3.21 (Debian 12) does not recognise some current Xeons as virtual machines
/// report them, and falls back to its Prescott (SSE3) kernels: training ran 3x slower here.
/// When that happens on a CPU with AVX-512 or AVX2, restart once with `OPENBLAS_CORETYPE`
/// naming the kernel family the CPU does support. A user's own `OPENBLAS_CORETYPE` is kept.
public enum BLASSetup {
    public static func ensureFastKernels() {
        #if os(Linux)
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              BLAS.coreName.lowercased() == "prescott",
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return }
        let flags = Set(flagLine.split(separator: " ").map(String.init))
        let core: String
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) {
            core = "SkylakeX"
        } else if flags.isSuperset(of: ["avx2", "fma"]) {
            core = "Haswell"
        } else {
            return
        }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE")   // exec failed: go on with the slow kernels
        #endif
    }
}
