import AccordNode
import Synchronization

/// Requests the API answered since it started, by route and status, and their durations as a
/// histogram: for `/metrics`. Updated from every connection's thread.
final class HTTPCounters: Sendable {
    /// A route pattern (or `other`) and a status code.
    struct Key: Hashable, Sendable, Comparable {
        var route: String
        var status: Int
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.route, lhs.status) < (rhs.route, rhs.status) }
    }

    private let state = Mutex<[Key: LatencyHistogram]>([:])

    /// Counts one answered request.
    func count(route: String, status: Int, seconds: Double) {
        state.withLock { $0[Key(route: route, status: status), default: LatencyHistogram()].observe(seconds) }
    }

    /// Every series, by route and status.
    func snapshot() -> [(key: Key, series: LatencyHistogram)] {
        state.withLock { $0.map { (key: $0.key, series: $0.value) } }.sorted { $0.key < $1.key }
    }
}
