import Foundation
/// How the dashboard writes times, ages and rates.
public enum DashboardFormat {
    /// `2026-12-03 06:40 UTC`.
    public static func time(_ millis: Int64) -> String {
        String(Timestamp.iso(millis: millis).prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// `5 min`, `3 h`, `2 d` (of a duration in milliseconds).
    public static func age(_ millis: Int64) -> String {
        let minutes = max(0, millis) / 60_000
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h" }
        return "\(minutes / 1440) d"
    }

    /// `97.5%` of `part` in `whole` (`–` when the whole is 0).
    public static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let value = Double(part) * 100 / Double(whole)
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

    /// A count with thousands separators: `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}
