/// The folded normalisation's `offset Wt` of each first layer, `[hidden]` per branch, as the
/// fused training step keeps it from one step to the next, with the invariant that makes it
/// safe to use stored beside it: branch i's product is current exactly when `current[i]` and
/// the network's `parameterGeneration` is `generation` (the one the step's own update left).
/// Any other change of the parameters counts a new generation, so the next forward pass
/// computes the product afresh instead of using a stale one.
final class KeptOffsetProducts<S: NetworkScalar> {
    let products: [UnsafeMutableBufferPointer<S>]
    /// Per branch: whether the last step accumulated its product from the updated rows.
    let current: UnsafeMutableBufferPointer<Bool>
    /// The parameter generation the products belong to (nil: none yet).
    var generation: Int?

    init(branches: Int, hiddenCount: Int) {
        products = (0..<branches).map { _ in zeroed(hiddenCount) }
        current = .allocate(capacity: branches)
        current.initialize(repeating: false)
    }

    deinit {
        for p in products { p.deallocate() }
        current.deallocate()
    }

    /// Branch `i`'s product if it is current for parameters of `generation`, else nil.
    @inline(__always)
    func product(ofBranch i: Int, generation: Int) -> UnsafePointer<S>? {
        self.generation == generation && current[i] ? UnsafePointer(products[i].baseAddress!) : nil
    }
}
