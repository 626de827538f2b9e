/// What a finished run's model says of each validation and test image: the logits, in image
/// order, and the labels. Kept beside the result (`outputs.safetensors`) so that the analysis can
/// calibrate on the validation images and resample or pair the test images later.
public struct RunOutputs: Sendable, Equatable {
    public let classCount: Int
    /// `[validation images][classes]`, in the split's validation order.
    public let validationLogits: [Float]
    public let validationLabels: [UInt8]
    /// `[10,000][classes]`, in MNIST's test order.
    public let testLogits: [Float]
    public let testLabels: [UInt8]

    public init(classCount: Int, validationLogits: [Float], validationLabels: [UInt8], testLogits: [Float], testLabels: [UInt8]) {
        precondition(validationLogits.count == validationLabels.count * classCount && testLogits.count == testLabels.count * classCount,
                     "one row of logits per label")
        self.classCount = classCount
        self.validationLogits = validationLogits
        self.validationLabels = validationLabels
        self.testLogits = testLogits
        self.testLabels = testLabels
    }
}
