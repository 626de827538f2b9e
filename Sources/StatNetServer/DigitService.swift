import Foundation
import StatNet

/// What the page and the API show for one digit: the digit the models saw, its four feature
/// channels, and both models' predictions.
public struct DigitAnalysis: Codable, Sendable, Equatable {
    public struct Features: Codable, Sendable, Equatable {
        public let variant: String
        public let energy: [Float], level: [Float], entropy: [Float], meanEnergy: [Float]
    }
    public struct Prediction: Codable, Sendable, Equatable {
        public let digit: Int
        public let probabilities: [Float]
    }
    /// The 28x28 MNIST digit (light ink on black) the models read.
    public let preprocessed: [UInt8]
    public let features: Features
    /// "statnet" and "mlpnet".
    public let models: [String: Prediction]
    /// For a test digit: its index and label.
    public let index: Int?
    public let label: Int?
}

/// Both models and the test set behind `statnet serve`. One analysis at a time (the models
/// reuse their buffers): a lock serialises them; each takes about a millisecond.
public final class DigitService: @unchecked Sendable {
    public let statnet: TrainedModel
    public let mlpnet: TrainedModel
    /// MNIST's test digits, for `/api/test/{index}` and the disagreements (nil without MNIST).
    public let test: MNISTSplit?
    private let extractor: FeatureExtractor
    private let lock = NSLock()
    private var disagreementCache: [Int]?

    public init(statnet: TrainedModel, mlpnet: TrainedModel, test: MNISTSplit?) {
        self.statnet = statnet
        self.mlpnet = mlpnet
        self.test = test
        extractor = FeatureExtractor(variant: statnet.config.features)
    }

    /// A person's image: made into an MNIST digit first (throws `DataError.noInk` for a blank one).
    public func analyse(image: GreyImage) throws -> DigitAnalysis {
        try analyse(digit: try DigitPreprocessor.mnistDigit(from: image, path: "the drawing").pixels, index: nil, label: nil)
    }

    public func analyse(digit: [UInt8], index: Int?, label: Int?) throws -> DigitAnalysis {
        // The features once: shown on the page, and read by each model of this variant.
        let channels = extractor.channels(of: digit)
        let features = FeatureBatch(features: channels.flatMap { $0 }, labels: [0], inputCount: digit.count)
        func probabilities(_ model: TrainedModel) throws -> [Float] {
            model.config.features == extractor.variant ? model.probabilities(ofFeatures: features)[0] : try model.probabilities(of: [digit])[0]
        }
        let (s, m) = try lock.withLock { (try probabilities(statnet), try probabilities(mlpnet)) }
        func prediction(_ p: [Float]) -> DigitAnalysis.Prediction {
            var best = 0
            for c in p.indices where p[c] > p[best] { best = c }
            return .init(digit: best, probabilities: p)
        }
        return DigitAnalysis(preprocessed: digit,
                             features: .init(variant: extractor.variant.rawValue, energy: channels[0], level: channels[1], entropy: channels[2],
                                             meanEnergy: channels[3]),
                             models: ["statnet": prediction(s), "mlpnet": prediction(m)], index: index, label: label)
    }

    /// Test digit `index`, or nil when it does not exist.
    public func analyse(testIndex index: Int) throws -> DigitAnalysis? {
        guard let test, (0..<test.count).contains(index) else { return nil }
        return try analyse(digit: Array(test.image(index)), index: index, label: Int(test.labels[index]))
    }

    /// The test digits the two models read differently (computed once, about two seconds).
    public func disagreements() throws -> [Int] {
        try lock.withLock {
            if let disagreementCache { return disagreementCache }
            guard let test else { return [] }
            let indices = Array(0..<test.count)
            func digits(_ model: TrainedModel) throws -> [Int] {
                try model.probabilities(indices: indices, of: test).map { p in p.indices.reduce(0) { p[$1] > p[$0] ? $1 : $0 } }
            }
            let (a, b) = (try digits(statnet), try digits(mlpnet))
            let found = indices.filter { a[$0] != b[$0] }
            disagreementCache = found
            return found
        }
    }
}
