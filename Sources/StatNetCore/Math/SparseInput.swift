/// The non-zero entries of one `[rows, columns]` input matrix (a batch of one feature
/// channel), grouped by column: input position p's entries are the batch rows where it is
/// non-zero, in row order. Both passes of the sparse first layer walk them position by
/// position (each position is one contiguous row of the transposed weight, and one row of its
/// gradient). Each value is divided by its column's `divisor` on the way in (the folded
/// normalisation's `x / sigma`). Buffers are allocated once for the largest batch and reused.
public final class SparseInput<S: NetworkScalar> {
    public let capacityRows: Int
    public let columns: Int
    public private(set) var rows = 0
    public private(set) var nonZeroCount = 0
    /// Extra elements at the end of each row of the batch-sized matrices the sparse kernels
    /// walk (a 4 KB row stride would put every row into the same cache sets).
    public static var rowPadding: Int { 64 / MemoryLayout<S>.size }
    /// Column c's entries are `byColumn*[columnStart[c] ..< columnStart[c + 1]]`, in row order.
    public let columnStart: UnsafeMutableBufferPointer<Int32>
    public let byColumnIndex: UnsafeMutableBufferPointer<Int32>
    public let byColumnValue: UnsafeMutableBufferPointer<S>
    /// Where each column's next entry goes while filling.
    private let cursor: UnsafeMutableBufferPointer<Int32>

    public init(capacityRows: Int, columns: Int) {
        precondition(capacityRows * columns <= Int(Int32.max), "indices are 32-bit")
        self.capacityRows = capacityRows
        self.columns = columns
        let n = capacityRows * columns
        columnStart = .allocate(capacity: columns + 1)
        byColumnIndex = .allocate(capacity: n)
        byColumnValue = .allocate(capacity: n)
        cursor = .allocate(capacity: columns)
    }

    deinit {
        columnStart.deallocate(); byColumnIndex.deallocate(); byColumnValue.deallocate(); cursor.deallocate()
    }

    /// The fraction of exact zeros' complement in `x` (`[rows, columns]`): what decides between
    /// the dense and the sparse first layer.
    public static func density(of x: UnsafeBufferPointer<S>) -> Double {
        var nonZero = 0
        for v in x where v != 0 { nonZero += 1 }
        return x.isEmpty ? 0 : Double(nonZero) / Double(x.count)
    }

    /// Fills the entries from the dense `x` (`[rows, columns]`), dividing each value by
    /// `divisor[column]` when given.
    public func build(from x: UnsafeBufferPointer<S>, rows: Int, divisor: UnsafeBufferPointer<S>?) {
        countNonZeros(of: x, rows: rows)
        fill(from: x, divisor: divisor)
    }

    /// The first half of `build`: counts each column's non-zeros of `x` (`[rows, columns]`),
    /// sets each column's start (prefix sums) and returns the total, from which a caller can
    /// still decide against the sparse path (then `fill` is not needed) without another pass.
    @discardableResult
    public func countNonZeros(of x: UnsafeBufferPointer<S>, rows: Int) -> Int {
        precondition(rows <= capacityRows && x.count >= rows * columns)
        self.rows = rows
        for c in 0...columns { columnStart[c] = 0 }
        let counts = columnStart.baseAddress! + 1
        for r in 0..<rows {
            let row = x.baseAddress! + r * columns
            for c in 0..<columns { counts[c] &+= row[c] != 0 ? 1 : 0 }   // no branch: vectorised
        }
        for c in 0..<columns { columnStart[c + 1] += columnStart[c] }
        nonZeroCount = Int(columnStart[columns])
        return nonZeroCount
    }

    /// The second half of `build`, after `countNonZeros` of the same `x`: one pass in row order
    /// puts each entry at its column's next slot.
    public func fill(from x: UnsafeBufferPointer<S>, divisor: UnsafeBufferPointer<S>?) {
        for c in 0..<columns { cursor[c] = columnStart[c] }
        for r in 0..<rows {
            let row = r * columns
            for c in 0..<columns {
                let v = x[row + c]
                guard v != 0 else { continue }
                let slot = Int(cursor[c])
                byColumnIndex[slot] = Int32(r)
                byColumnValue[slot] = divisor.map { v / $0[c] } ?? v
                cursor[c] += 1
            }
        }
    }
}
