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
        @OptionGroup var threadOptions: ThreadOptions
        @Option(help: "Timed steps (after 20 warm-up steps).")
        var steps: Int = 300
        @Flag(help: "One JSON line.")
        var json = false

        func validate() throws {
            guard batch >= 1, steps >= 1 else { throw ValidationError("--batch and --steps must be at least 1") }
        }

        func run() throws {
            let threads = threadOptions.threads
            var config = TrainingConfig(model: model, preset: preset)
            config.batchSize = batch
            config.threads = threads
            let trainer = try Trainer(config: config, data: try MNIST.load(directory: dataOptions.directory))
            var sampler = trainer.sampler
            var order = sampler.epochOrder(), next = 0
            /// One step on the next batch of the epoch order; returns its size.
            func step() -> Int {
                if next == sampler.batchesPerEpoch { order = sampler.epochOrder(); next = 0 }
                let indices = sampler.batch(next, of: order)
                trainer.trainBatch(indices)
                next += 1
                return indices.count
            }
            for _ in 0..<20 { _ = step() }
            trainer.learner.timings = StepTimings()
            let start = Clock.now
            var images = 0
            for _ in 0..<steps { images += step() }
            let seconds = Clock.seconds(Clock.now - start)
            let t = trainer.learner.timings
            let ms = { (s: Double) in String(format: "%.3f", s / Double(steps) * 1000) }
            let imagesPerSecond = Double(images) / seconds
            if json {
                print(#"{"model":"\#(model.rawValue)","preset":"\#(preset.rawValue)","batch":\#(batch),"threads":\#(threads),"steps":\#(steps),"images_per_s":\#(String(format: "%.1f", imagesPerSecond)),"ms_per_step":\#(ms(seconds)),"features_ms":\#(ms(t.features)),"forward_ms":\#(ms(t.forward)),"backward_ms":\#(ms(t.backward)),"optimiser_core_ms":\#(ms(t.optimiserCoreSeconds)),"blas_core":"\#(BLAS.coreName)"}"#)
            } else {
                print("\(model.rawValue), preset \(preset.rawValue), batch \(batch), \(threads) threads, \(steps) steps (BLAS \(BLAS.coreName))")
                print(String(format: "  %.0f images/s, %@ ms per step", imagesPerSecond, ms(seconds)))
                print("  features \(ms(t.features)) ms, forward \(ms(t.forward)) ms, backward \(ms(t.backward)) ms (of which the fused optimiser: \(ms(t.optimiserCoreSeconds)) core-ms)")
            }
        }
    }
}
