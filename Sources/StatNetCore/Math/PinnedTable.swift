/// An immutable table in memory of its own, read through a buffer pointer: hot loops index
/// it without the nested `withUnsafeBufferPointer` closures an array needs to avoid bounds
/// checks in release builds (debug builds still check them).
public final class PinnedTable<Element: BitwiseCopyable>: @unchecked Sendable {
    /// Valid for the table's lifetime; never written after `init` (what makes it Sendable).
    public let buffer: UnsafeBufferPointer<Element>

    public init(_ values: [Element]) {
        let storage = UnsafeMutableBufferPointer<Element>.allocate(capacity: values.count)
        _ = storage.initialize(from: values)
        buffer = UnsafeBufferPointer(storage)
    }

    deinit { buffer.deallocate() }

    public var count: Int { buffer.count }

    @inline(__always) public subscript(i: Int) -> Element { buffer[i] }
}
