import AccordModel
import AccordConsolidation

/// A consolidated profile rendered as JSON: id, anchor, member records (and per unit), golden values
/// with their rule and lineage (record, author, entry clock reading). Written by hand with sorted
/// keys and minimal escaping, so the bytes are the same on every node and platform.
enum ProfileDocument {
    /// A JSON value to write.
    indirect enum JSON {
        case string(String)
        case int(Int)
        case number(Double)
        case array([JSON])
        case object([(String, JSON)])
    }

    /// The document of a profile.
    static func render(_ profile: Profile, values: [GoldenValue]) -> [UInt8] {
        var units: [String: [JSON]] = [:]
        for record in profile.records { units[record.unit.rawValue, default: []].append(.string(record.description)) }
        let golden: [JSON] = values.map { value in
            let rendered: JSON
            switch value.value {
            case .text(let text): rendered = .string(text)
            case .set(let items): rendered = .array(items.map { .string($0) })
            default: rendered = .string("")
            }
            return .object([
                ("attribute", .string(value.attribute.rawValue)),
                ("rule", .string(value.rule.rawValue)),
                ("value", rendered),
                ("lineage", .array(value.lineage.map { lineage in
                    .object([
                        ("unit", .string(lineage.unit.rawValue)), ("record", .string(lineage.record.description)),
                        ("author", .string(lineage.author.rawValue)), ("hlc", .string(lineage.hlc.description)),
                        ("writtenAtMillis", .int(Int(lineage.hlc.physicalMillis))),
                    ])
                })),
            ])
        }
        let document: JSON = .object([
            ("id", .string(profile.id.description)),
            ("anchor", .string(profile.anchor.description)),
            ("records", .array(profile.records.map { .string($0.description) })),
            ("units", .object(units.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value)) })),
            ("values", .array(golden)),
        ])
        var output: [UInt8] = []
        write(document, into: &output)
        return output
    }

    static func write(_ value: JSON, into output: inout [UInt8]) {
        switch value {
        case .string(let text): quote(text, into: &output)
        case .int(let number): output += Array(String(number).utf8)
        case .number(let number): output += Array((number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : number.description).utf8)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                quote(member.0, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.1, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func quote(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): output += Array(#"\\"#.utf8)
            case 0x0A: output += Array(#"\n"#.utf8)
            case 0..<0x20: output += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
