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
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        let year = Int(parts.tm_year) + 1900
        put(abs(year) % 10000, 4, at: 0)
        put(Int(parts.tm_mon) + 1, 2, at: 5)
        put(Int(parts.tm_mday), 2, at: 8)
        put(Int(parts.tm_hour), 2, at: 11)
        put(Int(parts.tm_min), 2, at: 14)
        put(Int(parts.tm_sec), 2, at: 17)
        put(fraction, 3, at: 20)
        for (offset, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")] as [(Int, Unicode.Scalar)] {
            bytes[offset] = UInt8(character.value)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // Years outside 0...9999 (never read from a real clock) keep their full number.
        return (0...9999).contains(year) ? text : "\(year)" + text.dropFirst(4)
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
