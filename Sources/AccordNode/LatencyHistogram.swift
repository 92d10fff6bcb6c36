/// Durations counted into fixed buckets, as Prometheus histograms want them: how many were at most
/// each bound, their count and their sum.
public struct LatencyHistogram: Sendable, Equatable {
    /// The buckets' upper bounds, seconds (1 ms to 5 s).
    public static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    /// Durations observed.
    public private(set) var count = 0
    /// Their sum, seconds.
    public private(set) var seconds = 0.0
    /// Per bound of ``bounds``, how many durations were at most it (cumulative, as Prometheus counts).
    public private(set) var buckets = [Int](repeating: 0, count: LatencyHistogram.bounds.count)

    /// An empty histogram.
    public init() {}

    /// Counts one duration.
    public mutating func observe(_ duration: Double) {
        count += 1
        seconds += duration
        for (index, bound) in Self.bounds.enumerated() where duration <= bound { buckets[index] += 1 }
    }

    /// Adds another histogram's figures to this one.
    public mutating func merge(_ other: LatencyHistogram) {
        count += other.count
        seconds += other.seconds
        for index in buckets.indices { buckets[index] += other.buckets[index] }
    }
}
