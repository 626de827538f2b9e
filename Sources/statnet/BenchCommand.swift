import ArgumentParser
import Dispatch
import Foundation
import StatNet

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (quote ratios of back-to-back runs, not absolute times).",
        subcommands: [Features.self, Train.self]
    )

    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seconds to compute all four channels for all 70,000 MNIST images, per variant.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Variants to time (default: all three).")
        var variant: [FeatureVariant] = FeatureVariant.allCases
        @OptionGroup var threadOptions: ThreadOptions
        @Option(help: "Timed repetitions; the fastest is reported.")
        var repeats: Int = 3
        @Flag(help: "One JSON line per variant.")
        var json = false

        func validate() throws {
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            let threads = threadOptions.threads
            let data = try MNIST.load(directory: dataOptions.directory)
            let pixels = data.train.pixels + data.test.pixels
            let count = pixels.count / 784
            for v in variant {
                let extractor = FeatureExtractor(variant: v)  // tables are built here, outside the timing
                var best = Double.infinity
                for _ in 0..<repeats {
                    best = min(best, time { computeAll(extractor, pixels: pixels, count: count, threads: threads) })
                }
                if json {
                    print(#"{"variant":"\#(v.rawValue)","images":\#(count),"threads":\#(threads),"seconds":\#(String(format: "%.4f", best)),"images_per_s":\#(Int(Double(count) / best))}"#)
                } else {
                    print("\(v.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(count) images  \(String(format: "%.3f", best)) s  \(Int(Double(count) / best)) images/s  (\(threads) threads, best of \(repeats))")
                }
            }
        }
    }
}

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
            var buffer = [Float](repeating: 0, count: 4 * chunk * 784)
            buffer.withUnsafeMutableBufferPointer { out in
                for c in stride(from: worker, to: chunks, by: threads) {
                    let first = c * chunk
                    extractor.compute(pixels: px, first: first, count: min(chunk, count - first), into: out)
                }
            }
        }
    }
}
