/// `outputs.safetensors` of a finished run: `validation.logits` (F32 `[5000, 10]`, the split's
/// validation order), `validation.labels` (U8 `[5000]`), `test.logits` (F32 `[10000, 10]`,
/// MNIST's test order) and `test.labels` (U8 `[10000]`), 600 kB in all. Reading checks every
/// shape and value: a file that does not hold a run's outputs is an error naming it.
public enum RunOutputsFile {
    public static func write(_ outputs: RunOutputs, to path: String) throws {
        var file = SafeTensors()
        let c = outputs.classCount
        file.set("validation.logits", floats: outputs.validationLogits, shape: [outputs.validationLabels.count, c])
        file.set("validation.labels", bytes: outputs.validationLabels)
        file.set("test.logits", floats: outputs.testLogits, shape: [outputs.testLabels.count, c])
        file.set("test.labels", bytes: outputs.testLabels)
        file.metadata = ["format": "statnet-outputs"]
        try file.write(to: path)
    }

    /// The outputs in `path`, nil when the run has none (it was trained before they were kept).
    public static func read(_ path: String, classCount: Int = ModelShape.paper.classCount) throws -> RunOutputs? {
        guard (try? RegularFile.size(path)) != nil else { return nil }
        let file = try SafeTensors.read(path: path)
        func part(_ name: String) throws -> ([Float], [UInt8]) {
            guard let labels = file.tensors["\(name).labels"] else { throw CheckpointError.missingTensor(path: path, name: "\(name).labels") }
            let n = labels.bytes.count
            let logits = try file.floats("\(name).logits", shape: [n, classCount], file: path)
            if let bad = logits.firstIndex(where: { !$0.isFinite }) {
                throw CheckpointError.invalidValues(path: path, reason: "\(name).logits holds \(logits[bad]) at index \(bad)")
            }
            let values = try file.bytes("\(name).labels", count: n, file: path)
            if let bad = values.firstIndex(where: { Int($0) >= classCount }) {
                throw CheckpointError.invalidValues(path: path, reason: "\(name).labels holds \(values[bad]) at index \(bad)")
            }
            return (logits, values)
        }
        let (validationLogits, validationLabels) = try part("validation"), (testLogits, testLabels) = try part("test")
        return RunOutputs(classCount: classCount, validationLogits: validationLogits, validationLabels: validationLabels,
                          testLogits: testLogits, testLabels: testLabels)
    }
}
