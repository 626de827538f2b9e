/// A row-major matrix that owns its storage: element (r, c) is `storage[r * columns + c]`.
/// Used for the network's activations; parameters live in one flat `ParameterStore`.
public struct Matrix<S: NetworkScalar>: Sendable {
    public private(set) var rows: Int
    public let columns: Int
    public var storage: [S]

    public init(rows: Int, columns: Int, repeating value: S = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        storage = [S](repeating: value, count: rows * columns)
    }

    public subscript(row: Int, column: Int) -> S {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }
}
