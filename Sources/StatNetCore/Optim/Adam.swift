import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1), with
/// bias correction written as PyTorch's `torch.optim.Adam` does, so the two agree step by step.
public struct Adam<S: NetworkScalar>: Sendable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Steps taken so far (t in the paper).
    public var step: Int = 0
    /// First and second moment estimates, one per parameter, in the parameter store's layout.
    public var m: [S]
    public var v: [S]

    public init(parameterCount: Int, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = [S](repeating: 0, count: parameterCount)
        v = [S](repeating: 0, count: parameterCount)
    }

    /// The coefficients of step `step` (call after incrementing it).
    public struct StepConstants: Sendable {
        public let beta1, beta2, oneMinusBeta1, oneMinusBeta2, stepSize, inverseCorrection2Sqrt, epsilon: S
    }

    public var constants: StepConstants {
        precondition(step >= 1, "call update after counting the step")
        let correction1 = 1 - pow(beta1, Double(step)), correction2 = 1 - pow(beta2, Double(step))
        return StepConstants(beta1: S(beta1), beta2: S(beta2), oneMinusBeta1: S(1 - beta1), oneMinusBeta2: S(1 - beta2),
                             stepSize: S(learningRate / correction1), inverseCorrection2Sqrt: S(1 / correction2.squareRoot()),
                             epsilon: S(epsilon))
    }

    /// Pointers to m and v for the duration of `body` (one access to the optimiser, so that
    /// both can be used together from a class that holds it).
    public mutating func withMoments<R>(_ body: (UnsafeMutablePointer<S>, UnsafeMutablePointer<S>) -> R) -> R {
        m.withUnsafeMutableBufferPointer { m in v.withUnsafeMutableBufferPointer { v in body(m.baseAddress!, v.baseAddress!) } }
    }

    /// One whole step over every parameter (t += 1, then `update` on the whole buffer): what a
    /// plain training step does after backward has written every gradient.
    public mutating func update(parameters: UnsafeMutableBufferPointer<S>, gradients: UnsafeBufferPointer<S>) {
        precondition(parameters.count == m.count && gradients.count == m.count, "one gradient and two moments per parameter")
        step += 1
        let k = constants
        withMoments { m, v in
            Self.update(0..<parameters.count, constants: k, parameters: parameters.baseAddress!, gradients: gradients.baseAddress!, m: m, v: v)
        }
    }

    /// One Adam step on `range` of the parameters, fused into a single pass over p, g, m, v:
    /// m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
    /// Disjoint ranges may be updated from different threads.
    @inline(__always)
    public static func update(_ range: Range<Int>, constants k: StepConstants, parameters p: UnsafeMutablePointer<S>,
                              gradients g: UnsafePointer<S>, m: UnsafeMutablePointer<S>, v: UnsafeMutablePointer<S>) {
        update(range, constants: k, parameters: p, gradientsOfRange: g + range.lowerBound, m: m, v: v)
    }

    /// The same step with the gradient of `range` at `gradientsOfRange[0 ..< range.count]`
    /// (wherever backward left it, see `FourBranchNetwork.backward`).
    @inline(__always)
    public static func update(_ range: Range<Int>, constants k: StepConstants, parameters p: UnsafeMutablePointer<S>,
                              gradientsOfRange g: UnsafePointer<S>, m: UnsafeMutablePointer<S>, v: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            // Float (training): the same loop in C, compiled for AVX-512 and AVX2 and picked at run
            // time (ckernels.h); 2-3x the portable loop's speed.
            let f = { (q: UnsafeMutablePointer<S>) in UnsafeMutableRawPointer(q).assumingMemoryBound(to: Float.self) }
            let kf = unsafeBitCast(k, to: Adam<Float>.StepConstants.self)
            statnet_adam_f32(range.count, f(p + range.lowerBound), UnsafeRawPointer(g).assumingMemoryBound(to: Float.self),
                             f(m + range.lowerBound), f(v + range.lowerBound), kf.beta1, kf.beta2, kf.oneMinusBeta1, kf.oneMinusBeta2,
                             kf.stepSize, kf.inverseCorrection2Sqrt, kf.epsilon)
        } else {
            updatePortable(0..<range.count, constants: k, parameters: p + range.lowerBound, gradients: g,
                           m: m + range.lowerBound, v: v + range.lowerBound)
        }
    }

    /// The same step in Swift, for any scalar (Double in the gradient and parity tests).
    @inline(__always)
    public static func updatePortable(_ range: Range<Int>, constants k: StepConstants, parameters p: UnsafeMutablePointer<S>,
                                      gradients g: UnsafePointer<S>, m: UnsafeMutablePointer<S>, v: UnsafeMutablePointer<S>) {
        // Sixteen lanes at a time: the compiler does not vectorise the scalar loop by itself
        // (the four pointers may alias), and sqrt and divide dominate once it is vectorised.
        typealias Lanes = SIMD16<S>
        let width = Lanes.scalarCount
        var i = range.lowerBound
        let vectorEnd = range.lowerBound + (range.count / width) * width
        let (b1, b2, c1, c2) = (Lanes(repeating: k.beta1), Lanes(repeating: k.beta2), Lanes(repeating: k.oneMinusBeta1), Lanes(repeating: k.oneMinusBeta2))
        let (stepSize, inverse, eps) = (Lanes(repeating: k.stepSize), Lanes(repeating: k.inverseCorrection2Sqrt), Lanes(repeating: k.epsilon))
        while i < vectorEnd {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self)
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self) + c1 * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self) + c2 * gi * gi
            let pi = UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self) - stepSize * mi / (vi.squareRoot() * inverse + eps)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Lanes.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Lanes.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: Lanes.self)
            i += width
        }
        while i < range.upperBound {
            let gi = g[i]
            let mi = k.beta1 * m[i] + k.oneMinusBeta1 * gi
            let vi = k.beta2 * v[i] + k.oneMinusBeta2 * gi * gi
            m[i] = mi
            v[i] = vi
            p[i] -= k.stepSize * mi / (vi.squareRoot() * k.inverseCorrection2Sqrt + k.epsilon)
            i += 1
        }
    }
}

