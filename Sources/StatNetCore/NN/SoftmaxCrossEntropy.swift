/// Softmax cross-entropy, mean over the batch, and its gradient in one pass.
public enum SoftmaxCrossEntropy {
    /// `logits [batch, classes]`, labels -> (sum of per-sample losses, correct predictions);
    /// writes `gradient = (softmax - onehot) / batch` (the gradient of the *mean* loss).
    /// Stable: the row maximum is subtracted before `exp`.
    @inline(__always)
    public static func forwardBackward<S: NetworkScalar>(logits: UnsafePointer<S>, labels: UnsafePointer<UInt8>,
                                                         batch: Int, classes: Int,
                                                         gradient: UnsafeMutablePointer<S>?) -> BatchLoss {
        precondition(classes >= 1, "softmax over at least one class")
        var lossSum = 0.0, correct = 0
        for b in 0..<batch {
            let row = logits + b * classes
            var top = row[0], argmax = 0
            for c in 1..<classes where row[c] > top { top = row[c]; argmax = c }
            var z: S = 0
            for c in 0..<classes { z += S.exp(row[c] - top) }
            let label = Int(labels[b])
            let logZ = S.log(z) + top
            lossSum += Double(logZ - row[label])
            if argmax == label { correct += 1 }
            if let gradient {
                let g = gradient + b * classes
                let scale = 1 / S(batch)
                for c in 0..<classes {
                    g[c] = (S.exp(row[c] - logZ) - (c == label ? 1 : 0)) * scale
                }
            }
        }
        return BatchLoss(lossSum: lossSum, correct: correct)
    }

    /// Softmax probabilities of one row.
    public static func probabilities<S: NetworkScalar>(_ logits: [S]) -> [S] {
        precondition(!logits.isEmpty, "softmax over at least one class")
        let top = logits.max() ?? 0
        let e = logits.map { S.exp($0 - top) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }
}
