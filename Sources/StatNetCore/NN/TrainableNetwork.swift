/// What a training step needs of a network: one flat parameter buffer with named views, a
/// forward pass that leaves the loss gradient, and a backward pass that writes every gradient.
/// `FourBranchNetwork` is one; a new model (a CNN) that conforms trains through
/// `ReferenceTrainingStep` without further code.
public protocol TrainableNetwork: AnyObject {
    associatedtype Scalar: NetworkScalar
    /// Where each named tensor sits in `parameters` (checkpoints write it, Adam ignores it).
    var layout: ParameterLayout { get }
    var parameters: [Scalar] { get }
    var gradients: [Scalar] { get }
    /// Counts every change of `parameters`.
    var parameterGeneration: Int { get }
    /// The dropout generators, one per place the model draws masks (checkpoints keep them).
    var dropoutGenerators: [SplitMix64] { get set }
    func setParameters(_ values: [Scalar])
    /// Parameters and gradients for an optimiser to update in place (counted as a change).
    func updateParameters<R>(_ body: (UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R
    /// Logits and loss of `batch`; in training with dropout, leaving the loss gradient for `backward`.
    @discardableResult
    func forward(batch: FeatureBatch<Scalar>, training: Bool) -> BatchLoss
    /// Every gradient of the mean loss of the last training batch, into `gradients`.
    func backward()
}
