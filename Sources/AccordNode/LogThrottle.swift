import Foundation
import Synchronization

/// Lets one log line of a kind through per interval and counts the ones held back, so a flood of
/// refused connections (an attack, a misconfigured peer redialing) writes a few lines a minute,
/// not one per connection: the log's size stays bounded by time, not by the attacker's rate.
/// The count held back is reported with the next line let through (`suppressed`).
public final class LogThrottle: Sendable {
    private struct State {
        var lastWritten = -Double.infinity
        var held = 0
    }

    private let interval: Double
    private let state = Mutex(State())

    /// Creates a throttle letting one line through per `interval` seconds.
    public init(interval: Double = 10) { self.interval = interval }

    /// Whether a line may be written now: `nil` when it is held back (and counted); otherwise
    /// the number held back since the last line let through.
    /// - Parameter now: seconds on a monotonic clock (default: the system's uptime).
    public func admit(now: Double? = nil) -> Int? {
        let now = now ?? ProcessInfo.processInfo.systemUptime
        return state.withLock { state in
            guard now - state.lastWritten >= interval else {
                state.held += 1
                return nil
            }
            state.lastWritten = now
            defer { state.held = 0 }
            return state.held
        }
    }
}
