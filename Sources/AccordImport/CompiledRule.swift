import Foundation

/// A ``FieldRule`` prepared for fast repeated use: regex compiled, enum lookup built,
/// default country resolved. A class so that per-row use costs one retain, not a copy of every field.
final class CompiledRule: Sendable {
    /// Result of normalizing one value.
    enum Single {
        case absent
        case value(String)
        case problem(String)
    }

    /// Result of normalizing one field (possibly multi-valued).
    enum Field {
        case absent
        case value(ImportedValue)
        case problem(String)
    }

    let rule: FieldRule
    let type: FieldType
    let multiValued: Bool
    let maxLength: Int
    let separator: UInt8
    let dateOrder: DateOrder
    let country: PhoneFormat.Country?
    let regex: NSRegularExpression?
    let enumLookup: [String: String]

    /// Prepares `rule`.
    /// - Throws: ``FieldProblem`` if the pattern does not compile.
    init(_ rule: FieldRule, settings: NormalizationSettings) throws(FieldProblem) {
        self.rule = rule
        type = rule.type
        multiValued = rule.multiValued
        maxLength = rule.maxLength
        separator = settings.multiValueSeparator
        dateOrder = settings.dateOrder
        country = PhoneFormat.country(settings.defaultCountry)
        if let pattern = rule.pattern {
            do {
                regex = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
            } catch {
                throw FieldProblem(reason: "the rule's pattern is not a valid regular expression")
            }
        } else {
            regex = nil
        }
        var lookup: [String: String] = [:]
        for value in rule.allowedValues ?? [] { lookup[value.lowercased()] = value }
        enumLookup = lookup
    }

    /// Normalizes a whole field: multi-valued rules split on the separator, normalize each part,
    /// drop empty parts, deduplicate and sort in byte order.
    func normalizeField(_ raw: String) -> Field {
        Self.withBytes(raw) { normalizeField($0, original: raw) }
    }

    /// Normalizes a whole field given as bytes; `original` is the same text as a String, if at hand.
    func normalizeField(_ p: UnsafeBufferPointer<UInt8>, original: String?) -> Field {
        if !multiValued {
            switch normalize(p, original: original) {
            case .absent: return .absent
            case .value(let value): return .value(.single(value))
            case .problem(let reason): return .problem(reason)
            }
        }
        if !p.contains(separator) {
            switch normalize(p, original: original) {
            case .absent: return .absent
            case .value(let value): return .value(.multiple([value]))
            case .problem(let reason): return .problem("part 1: \(reason)")
            }
        }
        var parts: [String] = []
        var start = 0, index = 0
        var i = 0
        while i <= p.count {
            if i == p.count || p[i] == separator {
                index += 1
                let part = UnsafeBufferPointer(rebasing: p[start..<i])
                switch normalize(part, original: nil) {
                case .absent: break
                case .value(let value): parts.append(value)
                case .problem(let reason): return .problem("part \(index): \(reason)")
                }
                start = i + 1
            }
            i += 1
        }
        if parts.isEmpty { return .absent }
        if parts.count > 1 {
            parts.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            var unique: [String] = [parts[0]]
            for part in parts.dropFirst() where part != unique[unique.count - 1] { unique.append(part) }
            parts = unique
        }
        return .value(.multiple(parts))
    }

    /// Normalizes one value (ignores `multiValued`).
    func normalizeSingle(_ raw: String) -> Single {
        Self.withBytes(raw) { normalize($0, original: raw) }
    }

    /// Calls `body` with the string's UTF-8 bytes, without copying native strings.
    @inline(__always)
    static func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = string
        return copy.withUTF8(body)
    }

    /// Normalizes one value given as UTF-8 bytes; `original` (the same bytes as a String) is
    /// returned as is when normalization changes nothing, which saves an allocation.
    func normalize(_ p: UnsafeBufferPointer<UInt8>, original: String?) -> Single {
        let range = ByteScan.trim(p)
        if range.isEmpty { return .absent }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: p.count + 24) { buffer -> Single in
            let out = buffer.baseAddress!
            var count = 0
            var nonASCII = false
            switch type {
            case .text, .name:
                let r = ByteScan.collapse(p, range, into: out)
                if let problem = r.problem { return .problem(problem) }
                (count, nonASCII) = (r.count, r.nonASCII)
            case .email:
                let r = EmailFormat.lowerASCII(p, range, into: out)
                if let problem = r.problem { return .problem(problem) }
                (count, nonASCII) = (r.count, r.nonASCII)
                if !nonASCII, !EmailFormat.isValid(UnsafeBufferPointer(start: out, count: count)) {
                    return .problem(EmailFormat.invalid)
                }
            case .phone:
                let r = PhoneFormat.normalize(p, range, country: country, into: out)
                if let problem = r.problem { return .problem(problem) }
                count = r.count
            case .date:
                if let problem = DateFormat.normalize(p, range, order: dateOrder, into: out) { return .problem(problem) }
                count = 10
            case .postcode:
                let r = PostalFormat.postcode(p, range, into: out)
                if let problem = r.problem { return .problem(problem) }
                count = r.count
            case .country:
                guard let n = PostalFormat.country(p, range, into: out) else {
                    return .problem("not a country (ISO 3166-1 alpha-2 code expected)")
                }
                count = n
            case .enumeration:
                let r = ByteScan.collapse(p, range, into: out)
                if let problem = r.problem { return .problem(problem) }
                count = r.count
            }
            var value: String
            if let original, ByteScan.same(out, count, p) {
                value = original
            } else {
                value = String(decoding: UnsafeBufferPointer(start: out, count: count), as: UTF8.self)
            }
            if nonASCII {
                switch type {
                case .name:
                    if !ByteScan.isSurelyNFC(UnsafeBufferPointer(start: out, count: count)) {
                        value = value.precomposedStringWithCanonicalMapping
                    }
                case .email:
                    value = value.lowercased()
                    var bytes = Array(value.utf8)
                    let ok = bytes.withUnsafeMutableBufferPointer { EmailFormat.isValid(UnsafeBufferPointer($0)) }
                    if !ok { return .problem(EmailFormat.invalid) }
                default:
                    break
                }
            }
            if type == .enumeration, let allowed = rule.allowedValues, !allowed.contains(value) {
                guard let canonical = enumLookup[value.lowercased()] else {
                    return .problem("not one of the allowed values (\(allowed.sorted().joined(separator: ", ")))")
                }
                value = canonical
            }
            if value.utf8.count > maxLength {
                return .problem("longer than \(maxLength) bytes")
            }
            if let regex {
                let range = NSRange(location: 0, length: value.utf16.count)
                if regex.firstMatch(in: value, options: [], range: range) == nil {
                    return .problem("does not match the required pattern")
                }
            }
            return .value(value)
        }
    }
}
