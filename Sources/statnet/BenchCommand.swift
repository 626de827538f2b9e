import ArgumentParser
import Dispatch
import Foundation
import StatNet
import StatNetCommandLine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (quote ratios of back-to-back runs, not absolute times).",
        subcommands: [Features.self, Train.self, Sparse.self]
    )

    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seconds to compute all four channels for all 70,000 MNIST images, per variant.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Variants to time (default: all three).")
        var variant: [FeatureVariant] = FeatureVariant.allCases
        @OptionGroup var threadOptions: BenchThreadOptions
        @Option(parsing: .unconditional, help: "Timed repetitions; the fastest is reported.")
        var repeats: Int = 3
        @Flag(help: "One JSON line per variant.")
        var json = false

        func validate() throws {
            guard (1...maximumRepeats).contains(repeats) else { throw ValidationError("--repeats must be in 1...\(maximumRepeats) (got \(repeats))") }
        }

        func run() throws {
            let threads = threadOptions.threads
            let data = try MNIST.load(directory: dataOptions.directory)
            let pixels = data.train.pixels + data.test.pixels
            let count = pixels.count / MNISTSplit.pixelCount
            for v in variant {
                let extractor = FeatureExtractor(variant: v)  // tables are built here, outside the timing
                var best = Double.infinity
                for _ in 0..<repeats {
                    try StopRequest.check()
                    best = min(best, time { computeAll(extractor, pixels: pixels, count: count, threads: threads) })
                }
                if json {
                    printJSON(FeaturesBenchResult(variant: v.rawValue, images: count, threads: threads, seconds: rounded(best, 4),
                                                  imagesPerSecond: Int(Double(count) / best)))
                } else {
                    print("\(v.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(count) images  \(String(format: "%.3f", best)) s  \(Int(Double(count) / best)) images/s  (\(threads) threads, best of \(repeats))")
                }
            }
        }
    }
}

extension BenchCommand {
    struct Sparse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One first layer (784 -> 1024, batch 64, one core), dense GEMMs against the sparse path: inputs of uniform random density, then real MNIST batches of each channel.")
        @OptionGroup var dataOptions: DataOptions
        @Option(parsing: .unconditional, help: "Timed repetitions per input; the fastest is reported.")
        var repeats: Int = 20
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard (1...maximumRepeats).contains(repeats) else { throw ValidationError("--repeats must be in 1...\(maximumRepeats) (got \(repeats))") }
        }

        func run() throws {
            let uniform = FirstLayerBenchmark.run(inputs: FirstLayerBenchmark.uniformInputs(densities: [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0]),
                                                  repeats: repeats)
            var real: [FirstLayerBenchmark.Row] = []
            if let mnist = try? MNIST.load(directory: dataOptions.directory) {
                // The first training batch of a physics run: raw channels as the network gets them.
                let batch = 64
                let extractor = FeatureExtractor(variant: .boltzmann)
                var features = [Float](repeating: 0, count: FeatureChannel.count * batch * MNISTSplit.pixelCount)
                mnist.train.pixels.withUnsafeBufferPointer { px in
                    features.withUnsafeMutableBufferPointer { extractor.compute(pixels: px, first: 0, count: batch, into: $0) }
                }
                let n = batch * MNISTSplit.pixelCount
                real = FirstLayerBenchmark.run(inputs: FeatureChannel.allCases.map { ("mnist " + $0.name, Array(features[$0.rawValue * n..<($0.rawValue + 1) * n])) },
                                               repeats: repeats)
            } else {
                note("bench sparse: no MNIST at \(dataOptions.directory); uniform inputs only")
            }
            for r in uniform + real {
                if output.json {
                    printJSON(SparseBenchResult(input: r.input, density: rounded(r.density, 3), denseMs: rounded(r.denseSeconds * 1000, 4),
                                                sparseMs: rounded(r.sparseSeconds * 1000, 4), blasCore: BLAS.coreName))
                } else {
                    print(String(format: "%-18@ density %.3f  dense %.3f ms  sparse %.3f ms  (sparse/dense %.2f)", r.input, r.density,
                                 r.denseSeconds * 1000, r.sparseSeconds * 1000, r.sparseSeconds / r.denseSeconds))
                }
            }
            if !output.json {
                let crossing = FirstLayerBenchmark.crossing(uniform)
                print("uniform inputs: sparse is faster below density \(crossing.map { String(format: "%.2f", $0) } ?? "none"); "
                      + "the automatic choice uses \(FirstLayerPolicy.sparseDensityLimit)")
            }
        }
    }
}

/// The most timed repetitions a benchmark takes (each is seconds to minutes of work).
let maximumRepeats = 10_000

/// Wall-clock seconds of `body`.
func time(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// All features of `count` images, split into contiguous chunks over `threads` workers, each
/// with its own reused output buffer (the work a training epoch does, without the network).
func computeAll(_ extractor: FeatureExtractor, pixels: [UInt8], count: Int, threads: Int) {
    let chunk = 256
    let chunks = (count + chunk - 1) / chunk
    pixels.withUnsafeBufferPointer { px in
        parallelFor(threads, threads: threads) { worker in
            var buffer = [Float](repeating: 0, count: FeatureChannel.count * chunk * MNISTSplit.pixelCount)
            buffer.withUnsafeMutableBufferPointer { out in
                for c in stride(from: worker, to: chunks, by: threads) {
                    let first = c * chunk
                    extractor.compute(pixels: px, first: first, count: min(chunk, count - first), into: out)
                }
            }
        }
    }
}

/// `statnet bench features --json`: one object per variant.
struct FeaturesBenchResult: Encodable {
    let variant: String
    let images, threads: Int
    let seconds: Double
    let imagesPerSecond: Int

    enum CodingKeys: String, CodingKey { case variant, images, threads, seconds, imagesPerSecond = "images_per_s" }
}

/// `statnet bench sparse --json`: one object per input.
struct SparseBenchResult: Encodable {
    let input: String
    let density, denseMs, sparseMs: Double
    let blasCore: String

    enum CodingKeys: String, CodingKey { case input, density, denseMs = "dense_ms", sparseMs = "sparse_ms", blasCore = "blas_core" }
}

/// `value` rounded to `places` decimals, for output a person reads too.
func rounded(_ value: Double, _ places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (value * scale).rounded() / scale
}

/// One JSON object on one line of stdout, keys sorted.
func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return }
    print(String(decoding: data, as: UTF8.self))
}
