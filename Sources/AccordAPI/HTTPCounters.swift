import Synchronization

/// Requests the API answered since it started, by route and status, and their durations as a
/// histogram: for `/metrics`. Updated from every connection's thread.
final class HTTPCounters: Sendable {
    /// The histogram's upper bounds, seconds.
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    /// One series' figures.
    struct Series: Sendable {
        var count = 0
        var seconds = 0.0
        var buckets = [Int](repeating: 0, count: HTTPCounters.bounds.count)
    }

    /// A route pattern (or `other`) and a status code.
    struct Key: Hashable, Sendable, Comparable {
        var route: String
        var status: Int
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.route, lhs.status) < (rhs.route, rhs.status) }
    }

    private let state = Mutex<[Key: Series]>([:])

    /// Counts one answered request.
    func count(route: String, status: Int, seconds: Double) {
        state.withLock { series in
            var entry = series[Key(route: route, status: status)] ?? Series()
            entry.count += 1
            entry.seconds += seconds
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { entry.buckets[index] += 1 }
            series[Key(route: route, status: status)] = entry
        }
    }

    /// Every series, by route and status.
    func snapshot() -> [(key: Key, series: Series)] {
        state.withLock { $0.map { (key: $0.key, series: $0.value) } }.sorted { $0.key < $1.key }
    }
}
