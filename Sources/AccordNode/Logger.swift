import Foundation
import Synchronization

/// Structured logging as JSON lines on standard error: a timestamp, a level, a message and dotted
/// metadata keys (`peer.unit`, `batch.stream`). Never log keys or customers' personal data: log
/// unit ids, record keys, counts and reasons, not values.
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        /// Detail for debugging.
        case debug
        /// Normal operation.
        case info
        /// Something was refused or retried.
        case warning
        /// Something failed.
        case error

        /// The level's name, as written in the log.
        public var name: String { String(describing: self) }

        /// Orders by severity.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Where log lines go.
    public typealias Sink = @Sendable (String) -> Void

    /// The lowest level written.
    public let minimum: Level
    private let sink: Sink
    private let base: [String: String]

    /// Creates a logger writing to standard error.
    public init(minimum: Level = .info, metadata: [String: String] = [:]) {
        self.init(minimum: minimum, metadata: metadata) { line in
            StandardStream.error.write(line + "\n")
        }
    }

    /// Creates a logger writing to `sink` (tests keep lines in memory).
    public init(minimum: Level, metadata: [String: String] = [:], sink: @escaping Sink) {
        self.minimum = minimum
        self.sink = sink
        self.base = metadata
    }

    /// A logger that adds `metadata` to every line.
    public func with(_ metadata: [String: String]) -> Logger {
        Logger(minimum: minimum, metadata: base.merging(metadata) { _, new in new }, sink: sink)
    }

    /// Writes a line if `level` is at or above the minimum.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) {
        guard level >= minimum else { return }
        var object: [String: String] = base.merging(metadata) { _, new in new }
        object["ts"] = Self.timestamp()
        object["level"] = level.name
        object["msg"] = message()
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        sink(String(decoding: data, as: UTF8.self))
    }

    /// Writes a debug line.
    public func debug(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.debug, message(), metadata) }
    /// Writes an info line.
    public func info(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.info, message(), metadata) }
    /// Writes a warning line.
    public func warning(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.warning, message(), metadata) }
    /// Writes an error line.
    public func error(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.error, message(), metadata) }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

/// Log lines kept in memory, for tests.
public final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    /// Creates an empty recorder.
    public init() {}

    /// A logger that writes here.
    public func logger(minimum: Logger.Level = .debug) -> Logger {
        Logger(minimum: minimum) { [self] line in lines.withLock { $0.append(line) } }
    }

    /// Every line written so far.
    public var all: [String] { lines.withLock { $0 } }
}
