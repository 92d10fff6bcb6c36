import Foundation

/// ISO 8601 UTC times for JSON (`2026-05-01T12:00:00.123Z`), and their parsing, without
/// Foundation's formatters (not thread-safe to share, and slow to make per request).
enum Timestamp {
    /// Milliseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func iso(millis: Int64) -> String {
        var seconds = Int(millis.dividedRoundingDown(by: 1000))
        let fraction = Int(millis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(fraction, 3))Z"
    }

    /// Parses a date (`2027-01-31`, midnight UTC) or an ISO 8601 time with a zone
    /// (`2026-05-01T12:00:00Z`, `...+02:00`, fractional seconds allowed).
    /// - Returns: milliseconds since 1970, or `nil` when the text is neither.
    static func parse(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        if text.count == 10 {
            formatter.formatOptions = [.withFullDate]
        } else {
            formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        }
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
