import ArgumentParser
import Foundation
import StatNet

extension BenchCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Steady-state training images/s on real MNIST batches, features computed on the fly as in training.")
        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var modelOptions: ModelOptions
        @Option(parsing: .unconditional, help: "Batch size.")
        var batch: Int = 64
        @OptionGroup var threadOptions: BenchThreadOptions
        @Option(parsing: .unconditional, help: "Timed steps (after 20 warm-up steps).")
        var steps: Int = 300
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard batch >= 1, steps >= 1 else { throw ValidationError("--batch and --steps must be at least 1") }
        }

        func run() throws {
            let threads = threadOptions.threads, model = modelOptions.model, preset = modelOptions.preset
            var config = TrainingConfig(model: model, preset: preset)
            config.batchSize = batch
            config.threads = threads
            let trainer = try Trainer(config: config, data: try MNIST.load(directory: dataOptions.directory))
            let timing = TrainingEnvironment.run { TrainingStepTiming.measure(trainer, warmUpSteps: 20, steps: steps) }
            let ms = { (s: Double) in String(format: "%.3f", s * 1000) }
            if output.json {
                print(#"{"model":"\#(model.rawValue)","preset":"\#(preset.rawValue)","batch":\#(batch),"threads":\#(threads),"steps":\#(steps),"images_per_s":\#(String(format: "%.1f", timing.imagesPerSecond)),"ms_per_step":\#(ms(timing.stepSeconds)),"features_ms":\#(ms(timing.featureSeconds)),"forward_ms":\#(ms(timing.forwardSeconds)),"backward_ms":\#(ms(timing.backwardSeconds)),"optimiser_core_ms":\#(ms(timing.optimiserCoreSeconds)),"branch_density":[\#(timing.branchDensity.map { String(format: "%.3f", $0) }.joined(separator: ","))],"branch_sparse_fraction":[\#(timing.branchSparseFraction.map { String(format: "%.2f", $0) }.joined(separator: ","))],"blas_core":"\#(BLAS.coreName)"}"#)
            } else {
                print("\(model.rawValue), preset \(preset.rawValue), batch \(batch), \(threads) threads, \(steps) steps (BLAS \(BLAS.coreName))")
                print(String(format: "  %.0f images/s, %@ ms per step", timing.imagesPerSecond, ms(timing.stepSeconds)))
                print("  features \(ms(timing.featureSeconds)) ms, forward \(ms(timing.forwardSeconds)) ms, backward with the fused optimiser \(ms(timing.backwardSeconds)) ms; "
                      + "the optimiser alone: \(ms(timing.optimiserCoreSeconds)) core-ms per step")
                for (i, density) in timing.branchDensity.enumerated() {
                    let sparse = timing.branchSparseFraction[i]
                    print(String(format: "  branch %d: input density %.3f, first layer %@", i, density,
                                 sparse == 1 ? "sparse" : sparse == 0 ? "dense" : String(format: "sparse in %.0f%% of steps", 100 * sparse)))
                }
            }
        }
    }
}
