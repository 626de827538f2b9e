/// How a model classifies a labelled set of images: the confusion matrix (rows are the true
/// digit, columns the predicted one), accuracy per class, and the most confident mistakes.
public struct Classification: Sendable, Equatable {
    public struct Mistake: Sendable, Equatable, Codable {
        public let index: Int
        public let label: Int
        public let prediction: Int
        /// The probability the model gave its (wrong) prediction.
        public let probability: Double
    }

    /// `confusion[true][predicted]`.
    public let confusion: [[Int]]
    public let mistakes: [Mistake]

    /// - Parameters:
    ///   - probabilities: per image, the class probabilities.
    ///   - labels: per image, the true class.
    ///   - indices: per image, its index in its split (for the mistakes).
    public init(probabilities: [[Float]], labels: [Int], indices: [Int]) {
        precondition(probabilities.count == labels.count && labels.count == indices.count)
        let classes = probabilities.first?.count ?? MNISTSplit.classCount
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var mistakes: [Mistake] = []
        for (k, p) in probabilities.enumerated() {
            var predicted = 0   // the first of equal maxima, as the loss's accuracy counts it
            for c in p.indices where p[c] > p[predicted] { predicted = c }
            confusion[labels[k]][predicted] += 1
            if predicted != labels[k] {
                mistakes.append(Mistake(index: indices[k], label: labels[k], prediction: predicted, probability: Double(p[predicted])))
            }
        }
        self.confusion = confusion
        // Most confident first; ties by index, so the order is fixed.
        self.mistakes = mistakes.sorted { ($0.probability, -$0.index) > ($1.probability, -$1.index) }
    }

    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    public var accuracy: Double { Double(confusion.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(max(1, count)) }

    /// Per true class, the fraction classified right (nil for a class with no image).
    public var perClassAccuracy: [Double?] {
        confusion.indices.map { c in
            let total = confusion[c].reduce(0, +)
            return total == 0 ? nil : Double(confusion[c][c]) / Double(total)
        }
    }
}
