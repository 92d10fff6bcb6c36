/// A hybrid logical clock reading: physical milliseconds since 1970 (48 bits) and a logical
/// counter (16 bits), packed so that integer order is clock order.
public struct HLC: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The packed value: `physicalMillis << 16 | logical`.
    public let rawValue: UInt64

    /// The zero reading, before any event.
    public static let zero = HLC(rawValue: 0)

    /// Wraps a packed value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Packs a physical time and a logical counter.
    public init(physicalMillis: UInt64, logical: UInt16) {
        precondition(physicalMillis < 1 << 48, "physical time out of range")
        self.rawValue = physicalMillis << 16 | UInt64(logical)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var physicalMillis: UInt64 { rawValue >> 16 }
    /// The logical counter within the same millisecond.
    public var logical: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// `millis.logical`.
    public var description: String { "\(physicalMillis).\(logical)" }
    /// Clock order.
    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A node's hybrid logical clock. It never goes backwards: each reading is greater than every
/// reading it gave or observed before, whatever the wall clock does. Persist ``last`` and pass it
/// back to ``init(last:)`` on restart to keep that promise across restarts.
public struct HybridClock: Sendable {
    /// The greatest reading given or observed so far.
    public private(set) var last: HLC

    /// Creates a clock that continues after `last`.
    public init(last: HLC = .zero) { self.last = last }

    /// A new reading for a local event.
    /// - Parameter now: the wall clock in milliseconds since 1970.
    public mutating func tick(now: UInt64) -> HLC {
        let next: HLC
        if now > last.physicalMillis {
            next = HLC(physicalMillis: now, logical: 0)
        } else if last.logical == UInt16.max {
            next = HLC(physicalMillis: last.physicalMillis + 1, logical: 0)
        } else {
            next = HLC(physicalMillis: last.physicalMillis, logical: last.logical + 1)
        }
        last = next
        return next
    }

    /// Advances the clock past a reading received from another node.
    /// - Parameters:
    ///   - remote: the received reading.
    ///   - now: the wall clock in milliseconds since 1970.
    ///   - maxFutureMillis: how far ahead of `now` a remote reading may be (the policy's bound).
    /// - Throws: ``ModelError`` `.clockSkew` when `remote` is too far in the future; the clock is then unchanged.
    public mutating func observe(_ remote: HLC, now: UInt64, maxFutureMillis: UInt64) throws {
        let (bound, overflow) = now.addingReportingOverflow(maxFutureMillis)
        guard overflow || remote.physicalMillis <= bound else {
            throw ModelError(
                .clockSkew,
                "remote clock is \(remote.physicalMillis - now) ms ahead, over the bound of \(maxFutureMillis) ms"
            )
        }
        if remote > last { last = remote }
    }
}
