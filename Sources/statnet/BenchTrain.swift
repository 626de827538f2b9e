import ArgumentParser
import Foundation
import StatNet
import StatNetCommandLine

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
        @Option(name: .customLong("step"), help: "fused (the training step statnet train uses) or reference (plain forward, backward, Adam: the same bits, slower).")
        var stepKind: TrainingStepKind = .fused
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard (1...TrainingConfig.maximumBatchSize).contains(batch) else {
                throw ValidationError("--batch must be in 1...\(TrainingConfig.maximumBatchSize) (got \(batch))")
            }
            guard (1...Self.maximumSteps).contains(steps) else { throw ValidationError("--steps must be in 1...\(Self.maximumSteps) (got \(steps))") }
        }

        /// A million steps are hours of training; more is a typing mistake.
        static let maximumSteps = 1_000_000

        func run() throws {
            let threads = threadOptions.threads, model = modelOptions.model, preset = modelOptions.preset
            var config = TrainingConfig(model: model, preset: preset)
            config.batchSize = batch
            config.threads = threads
            let trainer = try Trainer(config: config, data: try MNIST.load(directory: dataOptions.directory), stepKind: stepKind)
            let timing = try TrainingEnvironment.run { try TrainingStepTiming.measure(trainer, warmUpSteps: 20, steps: steps) }
            let ms = { (s: Double) in String(format: "%.3f", s * 1000) }
            if output.json {
                printJSON(TrainBenchResult(model: model.rawValue, preset: preset.rawValue, step: stepKind.rawValue, batch: batch, threads: threads,
                                           steps: steps, imagesPerSecond: rounded(timing.imagesPerSecond, 1),
                                           msPerStep: rounded(timing.stepSeconds * 1000, 3), featuresMs: rounded(timing.featureSeconds * 1000, 3),
                                           forwardMs: rounded(timing.forwardSeconds * 1000, 3), backwardMs: rounded(timing.backwardSeconds * 1000, 3),
                                           optimiserCoreMs: rounded(timing.optimiserCoreSeconds * 1000, 3),
                                           branchDensity: timing.branchDensity.map { rounded($0, 3) },
                                           branchSparseFraction: timing.branchSparseFraction.map { rounded($0, 2) }, blasCore: BLAS.coreName))
            } else {
                print("\(model.rawValue), preset \(preset.rawValue), \(stepKind.rawValue) step, batch \(batch), \(threads) threads, \(steps) steps (BLAS \(BLAS.coreName))")
                print(String(format: "  %.0f images/s, %@ ms per step", timing.imagesPerSecond, ms(timing.stepSeconds)))
                print("  features \(ms(timing.featureSeconds)) ms, forward \(ms(timing.forwardSeconds)) ms, backward and the optimiser \(ms(timing.backwardSeconds)) ms; "
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

/// `statnet bench train --json`: one object.
struct TrainBenchResult: Encodable {
    let model, preset, step: String
    let batch, threads, steps: Int
    let imagesPerSecond, msPerStep, featuresMs, forwardMs, backwardMs, optimiserCoreMs: Double
    let branchDensity, branchSparseFraction: [Double]
    let blasCore: String

    enum CodingKeys: String, CodingKey {
        case model, preset, step, batch, threads, steps, imagesPerSecond = "images_per_s", msPerStep = "ms_per_step", featuresMs = "features_ms"
        case forwardMs = "forward_ms", backwardMs = "backward_ms", optimiserCoreMs = "optimiser_core_ms", branchDensity = "branch_density"
        case branchSparseFraction = "branch_sparse_fraction", blasCore = "blas_core"
    }
}
