/// Part `index` of `count` of a plan's runs (1-based), for job arrays: every `count`-th run,
/// so that shards take similar time.
public struct Shard: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let whole = Shard(uncheckedIndex: 1, count: 1)

    /// The most shards a plan is split into (a job array of 100,000 tasks is beyond any cluster's
    /// limit; a larger N would only describe work that no task gets).
    public static let maximumCount = 100_000

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case invalid(String)
        public var description: String {
            switch self {
            case let .invalid(text): "--shard must be K/N with 1 <= K <= N <= \(Shard.maximumCount) (got \(text))"
            }
        }
    }

    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count), (1...count).contains(index) else { throw ParseError.invalid("\(index)/\(count)") }
        self.init(uncheckedIndex: index, count: count)
    }

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// "K/N".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let k = parts[0], let n = parts[1] else { throw ParseError.invalid(text) }
        do { try self.init(index: k, count: n) } catch { throw ParseError.invalid(text) }
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard's items of `items`.
    func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
