import ArgumentParser
import Foundation
import StatNet

extension BenchCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Steady-state training images/s on real MNIST batches, features computed on the fly as in training.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "statnet or mlpnet.")
        var model: ModelKind = .statnet
        @Option(help: "Preset whose features and normalisation to use (paper or physics).")
        var preset: Preset = .physics
        @Option(help: "Batch size.")
        var batch: Int = 64
        @Option(help: "Cores to use.")
        var threads: Int = 2
        @Option(help: "Timed steps (after 20 warm-up steps).")
        var steps: Int = 300
        @Flag(help: "One JSON line.")
        var json = false

        func validate() throws {
            guard batch >= 1, threads >= 1, steps >= 1 else { throw ValidationError("--batch, --threads and --steps must be at least 1") }
        }

        func run() throws {
            let mnist = try MNIST.load(directory: dataOptions.directory)
            BLAS.setThreads(1)
            let network = FourBranchNetwork(kind: model)
            let extractor = FeatureExtractor(variant: preset.features)
            let normaliser = Normaliser.fit(mode: preset.normalisation, extractor: extractor, pixels: mnist.train.pixels, indices: Array(0..<55_000))
            let pipeline = FeaturePipeline(extractor: extractor, normaliser: normaliser)
            let learner = Learner<Float>(network: network, parameters: network.initialParameters(seed: 0),
                                         adam: Adam(parameterCount: network.parameterCount), batchCapacity: batch,
                                         threads: threads, dropoutSeed: 1)
            var sampler = BatchSampler(indices: Array(0..<55_000), batchSize: batch, seed: 2)
            var order = sampler.epochOrder()
            var features = [Float](repeating: 0, count: 4 * batch * network.shape.inputCount)
            var labels = [UInt8](repeating: 0, count: batch)
            var featureSeconds = 0.0
            var next = 0
            func step() {
                if (next + 1) * batch > order.count { order = sampler.epochOrder(); next = 0 }
                let indices = Array(sampler.batch(next, of: order))
                next += 1
                for (k, i) in indices.enumerated() { labels[k] = mnist.train.labels[i] }
                let t0 = Clock.now
                mnist.train.pixels.withUnsafeBufferPointer { px in
                    indices.withUnsafeBufferPointer { idx in
                        features.withUnsafeMutableBufferPointer { pipeline.compute(pixels: px, indices: idx, into: $0, threads: threads) }
                    }
                }
                featureSeconds += Clock.seconds(Clock.now - t0)
                features.withUnsafeBufferPointer { f in
                    labels.withUnsafeBufferPointer { _ = learner.step(features: f.baseAddress!, labels: $0.baseAddress!, batch: batch) }
                }
            }
            for _ in 0..<20 { step() }
            learner.timings = StepTimings()
            featureSeconds = 0
            let start = Clock.now
            for _ in 0..<steps { step() }
            let seconds = Clock.seconds(Clock.now - start)
            let t = learner.timings
            let perStep = { (s: Double) in s / Double(steps) * 1000 }
            let imagesPerSecond = Double(batch * steps) / seconds
            if json {
                print(#"{"model":"\#(model.rawValue)","preset":"\#(preset.rawValue)","batch":\#(batch),"threads":\#(threads),"steps":\#(steps),"images_per_s":\#(String(format: "%.1f", imagesPerSecond)),"ms_per_step":\#(String(format: "%.3f", perStep(seconds))),"features_ms":\#(String(format: "%.3f", perStep(featureSeconds))),"forward_ms":\#(String(format: "%.3f", perStep(t.forward))),"backward_ms":\#(String(format: "%.3f", perStep(t.backward))),"optimiser_core_ms":\#(String(format: "%.3f", perStep(t.optimiserCoreSeconds))),"blas_core":"\#(BLAS.coreName)"}"#)
            } else {
                print("\(model.rawValue), preset \(preset.rawValue), batch \(batch), \(threads) threads, \(steps) steps (BLAS \(BLAS.coreName))")
                print(String(format: "  %.0f images/s, %.2f ms per step", imagesPerSecond, perStep(seconds)))
                print(String(format: "  features %.2f ms, forward %.2f ms, backward %.2f ms (of which the fused optimiser: %.2f core-ms)",
                             perStep(featureSeconds), perStep(t.forward), perStep(t.backward), perStep(t.optimiserCoreSeconds)))
            }
        }
    }
}
