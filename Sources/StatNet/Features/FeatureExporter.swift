import Foundation

/// Writes the four feature channels of many images for other tools (NumPy, PyTorch), in blocks
/// so that memory stays small whatever the count: `[N, 4, 28, 28]` float32 in channel order
/// energy, level, entropy, mean energy (as computed, before any normalisation), and the labels
/// as uint8 `[N]`. Every file appears whole or not at all.
public struct FeatureExporter {
    public enum Format: String, CaseIterable, Sendable {
        /// `features.npy` and `labels.npy` in a folder (NumPy's format, version 1.0).
        case npy
        /// One safetensors file with tensors `features` and `labels`.
        case safetensors
    }

    public let extractor: FeatureExtractor
    /// Images per block (about 12.5 MB of features at a time).
    public var blockSize = 1_000

    public init(variant: FeatureVariant) {
        extractor = FeatureExtractor(variant: variant)
    }

    /// Exports `splits` (one after the other) to `path`: a folder for `.npy`, a file for
    /// safetensors. `progress` is called with the images done so far.
    /// - Returns: the files written.
    @discardableResult
    public func export(_ splits: [MNISTSplit], format: Format, to path: String, threads: Int = 1,
                       progress: (Int, Int) -> Void = { _, _ in }) throws -> [String] {
        try checkTarget(path, format: format)
        let count = splits.reduce(0) { $0 + $1.count }
        let d = extractor.length, side = extractor.width, channels = FeatureChannel.count
        let featureShape = [count, channels, side, side]
        let featureStream: AtomicFile.Stream, labelStream: AtomicFile.Stream?
        let files: [String]
        switch format {
        case .npy:
            let features = Path.join(path, Self.npyFeatures), labels = Path.join(path, Self.npyLabels)
            featureStream = try AtomicFile.Stream(path: features)
            try featureStream.append(NPY.header(descr: "<f4", shape: featureShape))
            labelStream = try AtomicFile.Stream(path: labels)
            try labelStream?.append(NPY.header(descr: "|u1", shape: [count]))
            files = [features, labels]
        case .safetensors:
            featureStream = try AtomicFile.Stream(path: path)
            try featureStream.append(SafeTensors.header(for: [("features", .F32, featureShape), ("labels", .U8, [count])],
                                                        metadata: ["variant": extractor.variant.rawValue,
                                                                   "channels": FeatureChannel.allCases.map(\.name).joined(separator: ",")]))
            labelStream = nil
            files = [path]
        }
        // Features block by block, transposed from the extractor's [4][block][D] to [block][4][D].
        var block = [Float](repeating: 0, count: channels * blockSize * d)
        var rows = [Float](repeating: 0, count: channels * blockSize * d)
        var allLabels: [UInt8] = []
        allLabels.reserveCapacity(count)
        var done = 0
        for split in splits {
            for first in stride(from: 0, to: split.count, by: blockSize) {
                try StopRequest.check()   // between blocks: the streams are dropped, no partial file stays
                let n = min(blockSize, split.count - first)
                split.pixels.withUnsafeBufferPointer { px in
                    let indices = Array(first..<first + n)
                    indices.withUnsafeBufferPointer { idx in
                        block.withUnsafeMutableBufferPointer { out in
                            parallelFor(threads, threads: threads) { w in
                                extractor.compute(pixels: px, indices: idx, rows: n * w / threads..<n * (w + 1) / threads, into: out)
                            }
                        }
                    }
                }
                for i in 0..<n {
                    for c in 0..<channels {
                        let from = (c * n + i) * d, to = (i * channels + c) * d
                        rows.replaceSubrange(to..<to + d, with: block[from..<from + d])
                    }
                }
                try featureStream.append(rows.withUnsafeBytes { Data($0.prefix(n * channels * d * MemoryLayout<Float>.size)) })
                allLabels += split.labels[first..<first + n]
                done += n
                progress(done, count)
            }
        }
        if let labelStream {
            try labelStream.append(Data(allLabels))
            try featureStream.commit()
            try labelStream.commit()
        } else {
            try featureStream.append(Data(allLabels))
            try featureStream.commit()
        }
        return files
    }

    /// The npy export's two files.
    public static let npyFeatures = "features.npy", npyLabels = "labels.npy"

    /// Refuses an output this export may not write (see `OutputTarget`), before any work, and
    /// removes what killed exports to the same place left.
    func checkTarget(_ path: String, format: Format) throws {
        switch format {
        case .npy:
            try OutputTarget.checkFolder(path, names: [Self.npyFeatures, Self.npyLabels], what: "a feature export (npy)") { file in
                (try? RegularFile.readPrefix(file, count: NPY.magic.count)) == NPY.magic
            }
            for name in [Self.npyFeatures, Self.npyLabels] { AtomicFile.removeAbandonedPartials(of: Path.join(path, name)) }
        case .safetensors:
            try OutputTarget.checkFile(path, what: "a feature export (safetensors)") { file in
                guard let header = try? SafeTensors.readHeader(path: file) else { return false }
                return header.metadata["channels"] != nil && header.metadata["variant"] != nil
            }
            AtomicFile.removeAbandonedPartials(of: path)
        }
    }
}
