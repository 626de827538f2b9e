/// Times one first layer (784 -> 1024, batch 64, Float, one core) both ways at a range of input
/// densities: the dense GEMMs (forward and weight gradient) against the sparse path (building
/// the non-zero lists, forward, weight gradient). `statnet bench sparse` prints it; the density
/// where the two cross is `FirstLayerPolicy.sparseDensityLimit`.
public enum FirstLayerBenchmark {
    public struct Row: Sendable {
        /// What the input was ("uniform" at a set density, or a real batch's channel).
        public let input: String
        public let density: Double
        public let denseSeconds: Double
        public let sparseSeconds: Double
    }

    /// Inputs whose non-zeros fall uniformly at random, at each of `densities` (the least
    /// favourable case for the sparse path: real strokes put neighbouring pixels together).
    public static func uniformInputs(densities: [Double], batch: Int = 64, inputCount: Int = MNISTSplit.pixelCount) -> [(String, [Float])] {
        var rng = SplitMix64(seed: 2)
        return densities.map { density in
            ("uniform", (0..<batch * inputCount).map { _ in rng.nextUnitFloat() < Float(density) ? 1 + rng.nextUnitFloat() : 0 })
        }
    }

    /// - Parameters:
    ///   - inputs: labelled `[batch, 784]` inputs to time.
    ///   - repeats: timed repetitions per input; the fastest counts.
    /// The density where the sparse path stops being faster, interpolated between the two
    /// neighbouring measurements of `rows` (sorted by density); nil if it never is, or always is.
    public static func crossing(_ rows: [Row]) -> Double? {
        for (a, b) in zip(rows, rows.dropFirst()) where a.sparseSeconds <= a.denseSeconds && b.sparseSeconds > b.denseSeconds {
            let da = a.denseSeconds - a.sparseSeconds, db = b.sparseSeconds - b.denseSeconds
            return a.density + (b.density - a.density) * da / (da + db)
        }
        return nil
    }

    public static func run(inputs: [(String, [Float])], repeats: Int, shape: ModelShape = .paper, batch: Int = 64) -> [Row] {
        let (d, h) = (shape.inputCount, shape.hiddenCount)
        var layout = ParameterLayout()
        let layer = Linear(inputCount: d, outputCount: h, name: "layer", layout: &layout)
        var rng = SplitMix64(seed: 1)
        let parameters = (0..<layout.count).map { _ in rng.nextUnitFloat() - 0.5 }
        let dy = (0..<batch * h).map { _ in rng.nextUnitFloat() - 0.5 }
        var gradients = [Float](repeating: 0, count: layout.count), y = [Float](repeating: 0, count: batch * h)
        var scratch = [Float](repeating: 0, count: batch * (h + SparseInput<Float>.rowPadding))
        let sparse = SparseInput<Float>(capacityRows: batch, columns: d)
        var rows: [Row] = []
        TrainingEnvironment.run {
            FloatEnvironment.withDenormalsFlushed {
                for (label, x) in inputs {
                    precondition(x.count == batch * d)
                    var dense = Double.infinity, sparseBest = Double.infinity
                    parameters.withUnsafeBufferPointer { p in x.withUnsafeBufferPointer { x in dy.withUnsafeBufferPointer { dy in
                        gradients.withUnsafeMutableBufferPointer { g in y.withUnsafeMutableBufferPointer { y in scratch.withUnsafeMutableBufferPointer { scratch in
                            for _ in 0..<repeats {
                                var t = MonotonicClock.now
                                layer.forward(x.baseAddress!, batch: batch, parameters: p.baseAddress!, into: y.baseAddress!)
                                layer.backwardParameters(input: x.baseAddress!, gradOutput: dy.baseAddress!, batch: batch, gradients: g.baseAddress!)
                                dense = min(dense, MonotonicClock.seconds(since: t))
                                t = MonotonicClock.now
                                sparse.build(from: x, rows: batch, divisor: nil)
                                layer.forwardSparse(sparse, bias: p.baseAddress! + layer.bias.offset, parameters: p.baseAddress!,
                                                    scratch: scratch.baseAddress!, into: y.baseAddress!)
                                layer.backwardParametersSparse(input: sparse, gradOutput: dy.baseAddress!, batch: batch, negatedOffset: nil,
                                                               scratch: scratch.baseAddress!, gradients: g.baseAddress!)
                                sparseBest = min(sparseBest, MonotonicClock.seconds(since: t))
                            }
                        } } }
                    } } }
                    rows.append(Row(input: label, density: x.withUnsafeBufferPointer { SparseInput<Float>.density(of: $0) },
                                    denseSeconds: dense, sparseSeconds: sparseBest))
                }
            }
        }
        return rows
    }
}
