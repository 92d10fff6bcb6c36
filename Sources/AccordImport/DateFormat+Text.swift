/// Dates written out with a month name, and ISO timestamps: formats the import does not accept
/// (a stored value is always `YYYY-MM-DD`) but matching meets in other units' exports.
extension DateFormat {
    /// Month names and abbreviations, German and English, lower-case (`märz`, `maerz`, `mrz`, `mar`, `march`).
    static let monthNames: [String: Int] = {
        let names: [[String]] = [
            ["januar", "january", "jan", "jänner", "jaenner"],
            ["februar", "february", "feb", "feber"],
            ["märz", "maerz", "marz", "mrz", "march", "mar"],
            ["april", "apr"],
            ["mai", "may"],
            ["juni", "june", "jun"],
            ["juli", "july", "jul"],
            ["august", "aug"],
            ["september", "sep", "sept"],
            ["oktober", "october", "okt", "oct"],
            ["november", "nov"],
            ["dezember", "december", "dez", "dec"],
        ]
        var table: [String: Int] = [:]
        for (index, group) in names.enumerated() {
            for name in group { table[name] = index + 1 }
        }
        return table
    }()

    /// Reads `7. März 1984`, `7 Mar 1984`, `March 7, 1984`, `7-Mar-1984`, `7th March 1984`, and ISO
    /// timestamps such as `1984-03-07T10:00:00Z` (the date part), as `YYYY-MM-DD`.
    /// - Parameters:
    ///   - text: the raw value.
    ///   - order: day/month order for the plain numeric formats of the timestamp's date part.
    /// - Returns: the date, or `nil` if the text is none of these formats or not a valid date.
    static func normalizeText(_ text: String, order: DateOrder) -> String? {
        let trimmed = Array(text.utf8.drop { $0 == 0x20 || $0 == 0x09 })
        if trimmed.count > 10, trimmed[10] == UInt8(ascii: "T") || trimmed[10] == UInt8(ascii: " ") {
            let datePart = Array(trimmed[0..<10])
            return datePart.withUnsafeBufferPointer { p -> String? in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { out -> String? in
                    guard normalize(p, 0..<10, order: .yearFirst, into: out.baseAddress!) == nil else { return nil }
                    return String(decoding: UnsafeBufferPointer(out), as: UTF8.self)
                }
            }
        }
        var month = 0
        var numbers: [String] = []
        var token = ""
        func flush() -> Bool {
            defer { token = "" }
            guard !token.isEmpty else { return true }
            if token.first!.isNumber {
                var digits = token
                for suffix in ["st", "nd", "rd", "th"] where digits.hasSuffix(suffix) { digits.removeLast(2) }
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
                numbers.append(digits)
                return true
            }
            guard month == 0, let found = monthNames[token] else { return false }
            month = found
            return true
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                token.append(character)
            } else {
                guard flush() else { return nil }
            }
        }
        guard flush(), month > 0, numbers.count == 2 else { return nil }
        let dayText: String, yearText: String
        if numbers[0].count <= 2, numbers[1].count == 4 {
            (dayText, yearText) = (numbers[0], numbers[1])
        } else if numbers[0].count == 4, numbers[1].count <= 2 {
            (dayText, yearText) = (numbers[1], numbers[0])
        } else {
            return nil
        }
        guard let day = Int(dayText), let year = Int(yearText), year >= 1900, year <= 2100, day >= 1,
            day <= daysIn(month: month, year: year)
        else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}

extension Normalizer {
    /// A date written out with a month name, or an ISO timestamp, as `YYYY-MM-DD` (see
    /// `DateFormat.normalizeText`); for matching, which meets formats the import refuses.
    /// - Parameters:
    ///   - text: the raw value.
    ///   - order: day/month order setting.
    /// - Returns: the date, or `nil`.
    package static func dateFromText(_ text: String, order: DateOrder) -> String? {
        DateFormat.normalizeText(text, order: order)
    }
}
