import AccordModel
import AccordConsolidation

/// A consolidated profile rendered as JSON: id, anchor, member records (and per unit), golden values
/// with their rule and lineage (record, author, entry clock reading). Written straight into bytes,
/// keys in sorted order and minimal escaping, so the bytes are the same on every node and platform
/// (and a full rebuild does not build a tree per profile).
enum ProfileDocument {
    /// The document of a profile: `{"anchor","id","records","units","values"}`; each value
    /// `{"attribute","lineage","rule","value"}`, each lineage `{"author","hlc","record","unit","writtenAtMillis"}`.
    static func render(_ profile: Profile, values: [GoldenValue]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + 160 * values.count)
        out += #"{"anchor":"#.utf8
        quote(profile.anchor.description, into: &out)
        out += #","id":"#.utf8
        quote(profile.id.description, into: &out)
        out += #","records":"#.utf8
        list(profile.records.map(\.description), into: &out)
        out += #","units":{"#.utf8
        var units: [String: [String]] = [:]
        for record in profile.records { units[record.unit.rawValue, default: []].append(record.description) }
        for (index, unit) in units.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            quote(unit, into: &out)
            out.append(UInt8(ascii: ":"))
            list(units[unit]!, into: &out)
        }
        out += #"},"values":["#.utf8
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"attribute":"#.utf8
            quote(value.attribute.rawValue, into: &out)
            out += #","lineage":["#.utf8
            for (position, lineage) in value.lineage.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out += #"{"author":"#.utf8
                quote(lineage.author.rawValue, into: &out)
                out += #","hlc":"#.utf8
                quote(lineage.hlc.description, into: &out)
                out += #","record":"#.utf8
                quote(lineage.record.description, into: &out)
                out += #","unit":"#.utf8
                quote(lineage.unit.rawValue, into: &out)
                out += #","writtenAtMillis":"#.utf8
                out += String(lineage.hlc.physicalMillis).utf8
                out.append(UInt8(ascii: "}"))
            }
            out += #"],"rule":"#.utf8
            quote(value.rule.rawValue, into: &out)
            out += #","value":"#.utf8
            switch value.value {
            case .text(let text): quote(text, into: &out)
            case .set(let items): list(items, into: &out)
            default: quote("", into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out += "]}".utf8
        return out
    }

    private static func list(_ items: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            quote(item, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n` or `\u00XX`, the rest as UTF-8.
    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += utf8
        } else {
            let hex = Array("0123456789abcdef".utf8)
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): out += #"\""#.utf8
                case UInt8(ascii: "\\"): out += #"\\"#.utf8
                case 0x0A: out += #"\n"#.utf8
                case 0..<0x20: out += #"\u00"#.utf8 + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
