/// Bounds on the hybrid logical clocks of the federation.
public struct ClockPolicy: Sendable, Equatable {
    /// How far ahead of the receiver's physical clock an entry's time may be, in milliseconds
    /// (0...86_400_000); entries further in the future are rejected.
    public let maxFutureMillis: Int64

    /// The allowed range of `maxFutureMillis`.
    public static let maxFutureMillisRange: ClosedRange<Int64> = 0...86_400_000

    /// Creates a clock policy.
    /// - Parameter maxFutureMillis: the future bound in milliseconds.
    public init(maxFutureMillis: Int64) {
        self.maxFutureMillis = maxFutureMillis
    }
}
