/// Where one named tensor lives in the flat parameter buffer.
///
/// `shape` is PyTorch's (`[out, in]` for a weight), the shape checkpoints use. A weight is
/// stored transposed, `[in, out]`, so that one input value scales one contiguous weight row
/// (see `Linear`); checkpoints transpose on the way out and in.
public struct ParameterView: Sendable, Equatable, Codable {
    public let name: String
    public let offset: Int
    public let shape: [Int]
    public let storedTransposed: Bool
    public var count: Int { shape.reduce(1, *) }
    public var range: Range<Int> { offset..<offset + count }
}

/// The names, shapes and offsets of every parameter, in one flat buffer: zeroing, Adam and
/// checkpoints each become one loop over one array.
public struct ParameterLayout: Sendable, Equatable {
    public private(set) var views: [ParameterView] = []
    public var count: Int { views.last.map { $0.offset + $0.count } ?? 0 }

    public init() {}

    @discardableResult
    public mutating func add(_ name: String, shape: [Int], storedTransposed: Bool = false) -> ParameterView {
        precondition(!views.contains { $0.name == name }, "duplicate parameter \(name)")
        let view = ParameterView(name: name, offset: count, shape: shape, storedTransposed: storedTransposed)
        views.append(view)
        return view
    }

    public subscript(name: String) -> ParameterView? { views.first { $0.name == name } }

    /// A tensor in PyTorch order (`[out, in]` row-major) from the flat buffer.
    public func exported<S: NetworkScalar>(_ view: ParameterView, from values: [S]) -> [S] {
        guard view.storedTransposed else { return Array(values[view.range]) }
        let (rows, columns) = (view.shape[0], view.shape[1])   // [out, in]; stored [in, out]
        var out = [S](repeating: 0, count: view.count)
        for o in 0..<rows { for i in 0..<columns { out[o * columns + i] = values[view.offset + i * rows + o] } }
        return out
    }

    /// Writes a tensor given in PyTorch order into the flat buffer.
    public func imported<S: NetworkScalar>(_ view: ParameterView, _ tensor: [S], into values: inout [S]) {
        precondition(tensor.count == view.count, "\(view.name): \(tensor.count) values for shape \(view.shape)")
        guard view.storedTransposed else {
            values.replaceSubrange(view.range, with: tensor)
            return
        }
        let (rows, columns) = (view.shape[0], view.shape[1])
        for o in 0..<rows { for i in 0..<columns { values[view.offset + i * rows + o] = tensor[o * columns + i] } }
    }
}
