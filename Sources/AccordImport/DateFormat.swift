/// Byte-level date parsing to `YYYY-MM-DD`.
enum DateFormat {
    static let invalid = "not a valid date"

    /// Parses the trimmed range and writes 10 bytes `YYYY-MM-DD` to `out`.
    static func normalize(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, order: DateOrder, into out: UnsafeMutablePointer<UInt8>
    ) -> String? {
        // Split into up to three digit groups separated by one of '-', '/', '.'.
        var values = (0, 0, 0)
        var lengths = (0, 0, 0)
        var group = 0
        var separator: UInt8 = 0
        var value = 0, length = 0
        for i in range {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 {
                guard length < 8 else { return invalid }
                value = value * 10 + Int(b - 0x30)
                length += 1
            } else if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: ".") {
                if separator == 0 { separator = b } else if separator != b { return invalid }
                guard length > 0, group < 2 else { return invalid }
                if group == 0 { values.0 = value; lengths.0 = length } else { values.1 = value; lengths.1 = length }
                group += 1
                value = 0
                length = 0
            } else {
                return b < 0x20 || b == 0x7F ? "contains a control character" : invalid
            }
        }
        guard length > 0 else { return invalid }
        var year = 0, month = 0, day = 0
        if group == 0 {
            guard length == 8 else { return invalid }
            year = value / 10000
            month = value / 100 % 100
            day = value % 100
        } else {
            guard group == 2 else { return invalid }
            values.2 = value
            lengths.2 = length
            if lengths.0 == 4 {
                guard lengths.1 <= 2, lengths.2 <= 2 else { return invalid }
                (year, month, day) = (values.0, values.1, values.2)
            } else if lengths.2 == 4 {
                guard lengths.0 <= 2, lengths.1 <= 2 else { return invalid }
                switch order {
                case .dayFirst: (day, month, year) = (values.0, values.1, values.2)
                case .monthFirst: (month, day, year) = (values.0, values.1, values.2)
                case .yearFirst: return "not a valid date (expected year first)"
                }
            } else {
                return "not a valid date (four-digit year required)"
            }
        }
        guard year >= 1900, year <= 2100 else { return "not a valid date (year outside 1900...2100)" }
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year) else { return invalid }
        out[0] = UInt8(0x30 + year / 1000)
        out[1] = UInt8(0x30 + year / 100 % 10)
        out[2] = UInt8(0x30 + year / 10 % 10)
        out[3] = UInt8(0x30 + year % 10)
        out[4] = UInt8(ascii: "-")
        out[5] = UInt8(0x30 + month / 10)
        out[6] = UInt8(0x30 + month % 10)
        out[7] = UInt8(ascii: "-")
        out[8] = UInt8(0x30 + day / 10)
        out[9] = UInt8(0x30 + day % 10)
        return nil
    }

    /// Days in a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
