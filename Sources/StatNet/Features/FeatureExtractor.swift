import Foundation

/// Turns images (unsigned bytes, row by row) into the four feature channels of FEATURES.md.
///
/// Output layout, chosen so that each branch reads one contiguous `[count, D]` matrix:
/// channel-major, `output[(c * count + i) * D + p]` is channel `c` of image `i` at position `p`.
/// Works on caller-provided buffers and allocates nothing per image. Arithmetic is in Double
/// (float32 for `reference`, as its definition demands); results are stored as Float.
public struct FeatureExtractor: Sendable {
    public let variant: FeatureVariant
    /// Side of the square image; the vector length is `D = width * width`.
    public let width: Int
    public var length: Int { width * width }

    /// Energy levels `l = 0...16` (`eps_l = l^2`, the square root of 255 rounded).
    public static let levelCount = 17

    private let logD: Double
    /// ln(k) and ln(k!) for k = 0...D.
    private let logInt: PinnedTable<Double>, logFactorial: PinnedTable<Double>
    private let canonical: CanonicalEntropy?
    /// `K - l / 298` for l = 0...16 in float32, K = float32(1.380648e-23) * float32(ln D) (`reference`).
    private let referenceIncrements: PinnedTable<Float>

    public init(variant: FeatureVariant, width: Int = MNISTSplit.side) {
        precondition(width > 0)
        self.variant = variant
        self.width = width
        let d = width * width
        logD = log(Double(d))
        var li = [0.0], lf = [0.0]
        for k in 1...d {
            li.append(log(Double(k)))
            lf.append(lf[k - 1] + li[k])
        }
        logInt = PinnedTable(li)
        logFactorial = PinnedTable(lf)
        canonical = variant == .canonical ? CanonicalEntropy.shared : nil
        let k = Float(1.380648e-23) * Float(logD)
        referenceIncrements = PinnedTable((0..<Self.levelCount).map { k - Float($0) / 298 })
    }

    /// Features of `indices.count` images taken from `pixels` (image k at `pixels[k*D..<(k+1)*D]`),
    /// in index order, into `output` (at least `4 * indices.count * D` floats, channel-major).
    /// `rows` limits the work to some rows of that output (so cores can share a batch).
    /// - Parameters:
    ///   - runningChannels: false leaves entropy and mean energy unwritten, for a model that
    ///     reads only energy and level (MLPNet): they are most of the work.
    public func compute(pixels: UnsafeBufferPointer<UInt8>, indices: UnsafeBufferPointer<Int>,
                        rows: Range<Int>? = nil, into output: UnsafeMutableBufferPointer<Float>, runningChannels: Bool = true) {
        let d = length, count = indices.count
        precondition(output.count >= FeatureChannel.count * count * d, "output needs 4 * count * D floats")
        guard let base = output.baseAddress, let source = pixels.baseAddress else { return }
        let scratch = Scratch()
        for row in rows ?? 0..<count {
            let image = indices[row]
            precondition(image >= 0 && (image + 1) * d <= pixels.count, "image index \(image) out of range")
            computeOne(source + image * d,
                       energy: base + (0 * count + row) * d, level: base + (1 * count + row) * d,
                       entropy: base + (2 * count + row) * d, meanEnergy: base + (3 * count + row) * d,
                       scratch: scratch, runningChannels: runningChannels)
        }
    }

    /// Features of `count` consecutive images starting at image `first`.
    public func compute(pixels: UnsafeBufferPointer<UInt8>, first: Int, count: Int,
                        into output: UnsafeMutableBufferPointer<Float>) {
        let indices = Array(first..<(first + count))
        indices.withUnsafeBufferPointer { compute(pixels: pixels, indices: $0, into: output) }
    }

    /// The four channels of one image, in channel order (a convenience; allocates).
    public func channels(of image: [UInt8]) -> [[Float]] {
        precondition(image.count == length, "an image has \(length) values")
        var out = [Float](repeating: 0, count: FeatureChannel.count * length)
        image.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { compute(pixels: px, first: 0, count: 1, into: $0) }
        }
        return (0..<FeatureChannel.count).map { Array(out[$0 * length..<($0 + 1) * length]) }
    }

    /// Per-image tables for the byte-to-energy map, kept while min and max stay the same,
    /// and the level occupations; one per `compute` call.
    final class Scratch {
        var key = -1
        let energy = UnsafeMutableBufferPointer<Double>.allocate(capacity: 256)
        let level = UnsafeMutableBufferPointer<Int>.allocate(capacity: 256)
        let occupation = UnsafeMutableBufferPointer<Int>.allocate(capacity: FeatureExtractor.levelCount)

        deinit {
            energy.deallocate()
            level.deallocate()
            occupation.deallocate()
        }
    }

    @inline(__always)
    private func computeOne(_ x: UnsafePointer<UInt8>, energy: UnsafeMutablePointer<Float>,
                            level: UnsafeMutablePointer<Float>, entropy: UnsafeMutablePointer<Float>,
                            meanEnergy: UnsafeMutablePointer<Float>, scratch: Scratch, runningChannels: Bool) {
        if variant == .reference {
            referenceOne(x, energy: energy, level: level, entropy: entropy, meanEnergy: meanEnergy, runningChannels: runningChannels)
            return
        }
        let d = length
        var lo = x[0], hi = x[0]
        for p in 1..<d { lo = min(lo, x[p]); hi = max(hi, x[p]) }
        let key = Int(lo) << 8 | Int(hi)
        let energyOf = scratch.energy, levelOf = scratch.level, n = scratch.occupation
        if key != scratch.key {
            // e = 255 (x - min) / (max - min); all zero when the image is flat.
            scratch.key = key
            for v in 0..<256 {
                let e = hi == lo ? 0.0 : 255.0 * Double(Int(v) - Int(lo)) / Double(Int(hi) - Int(lo))
                energyOf[v] = max(e, 0)
                levelOf[v] = Int((max(e, 0).squareRoot() + 0.5).rounded(.down))
            }
        }
        guard runningChannels else {
            for j in 0..<d {
                let v = Int(x[j])
                energy[j] = Float(energyOf[v])
                level[j] = Float(levelOf[v])
            }
            return
        }
        for l in 0..<Self.levelCount { n[l] = 0 }
        let logInt = logInt.buffer, logFactorial = logFactorial.buffer
        var s = 0.0        // boltzmann: ln W of the particles so far
        var levelEnergy = 0  // sum of l^2 so far
        for j in 0..<d {
            let v = Int(x[j])
            let l = levelOf[v]
            energy[j] = Float(energyOf[v])
            level[j] = Float(l)
            n[l] += 1
            levelEnergy += l * l
            let particles = j + 1
            let u = Double(levelEnergy) / Double(particles)
            meanEnergy[j] = Float(u)
            if let canonical {
                // S = n (ln D + s(u)) - ln n!
                entropy[j] = Float(Double(particles) * (logD + canonical.s(u)) - logFactorial[particles])
            } else {
                // Adding a particle to a level that held n_l adds ln D - ln(n_l + 1).
                s += logD - logInt[n[l]]
                entropy[j] = Float(s)
            }
        }
    }

    /// The released code's features, in float32 exactly as FEATURES.md spells them out.
    /// Per-byte and per-level values come from tables of the same float32 operations, so the
    /// loop is additions, one multiply, one divide and two casts per pixel.
    @inline(__always)
    private func referenceOne(_ x: UnsafePointer<UInt8>, energy: UnsafeMutablePointer<Float>,
                              level: UnsafeMutablePointer<Float>, entropy: UnsafeMutablePointer<Float>,
                              meanEnergy: UnsafeMutablePointer<Float>, runningChannels: Bool) {
        let levelOf = Self.referenceLevels.buffer, increment = referenceIncrements.buffer
        guard runningChannels else {
            for p in 0..<length {
                energy[p] = Float(x[p])
                level[p] = levelOf[Int(x[p])]
            }
            return
        }
        var g: Float = 0, t: Float = 0
        var p = 0
        for r in 0..<width {
            for c in 0..<width {
                let idx = Float((r + 1) * width + (c + 1))   // the released code's off-by-one-row index
                let v = Int(x[p])
                let value = Float(v)
                let l = levelOf[v]
                energy[p] = value
                level[p] = l
                g = g + increment[Int(l)]                 // G += K - level / 298
                entropy[p] = Self.wrappedByte(idx * g)
                t += value
                meanEnergy[p] = Self.wrappedByte(t / idx)
                p += 1
            }
        }
    }

    /// `round(sqrt(float32(x)))` for x = 0...255, in float32 as the released code.
    private static let referenceLevels = PinnedTable((0..<256).map { Float($0).squareRoot().rounded(.toNearestOrEven) })

    /// A float-to-byte cast as the released code did it: truncate toward zero, wrap modulo 256.
    @inline(__always)
    static func wrappedByte(_ v: Float) -> Float {
        Float(UInt8(truncatingIfNeeded: Int64(v)))   // Int64(_:) truncates toward zero
    }
}
