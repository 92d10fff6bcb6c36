/// Realistic, normalizer-fixable source noise applied to sample record values
/// (order of ``SamplePopulation/attributeNames``).
enum SampleNoise {
    static let kinds = 10

    static func apply(_ kind: Int, to values: inout [String], segment: inout String, rng: inout SeededGenerator) {
        switch kind {
        case 0: values[4] = nationalPhone(values[4], &rng)
        case 1: values[3] = noisyEmail(values[3], &rng)
        case 2: values[2] = noisyDate(values[2], &rng)
        case 3:
            let field = rng.below(2)
            values[field] = typo(values[field], &rng)
        case 4: values[[2, 3, 4, 5][rng.below(4)]] = ""
        case 5:
            let address = SamplePopulation.address(&rng)
            (values[5], values[6], values[7]) = (address.street, address.city, address.postcode)
        case 6:
            let field = [0, 1, 5, 6][rng.below(4)]
            values[field] = padded(values[field], &rng)
        case 7: values[8] = ["de", "Germany", "DEU", "Deutschland", " DE "][rng.below(5)]
        case 8:
            if rng.chance(0.5), !values[3].isEmpty {
                let other = SamplePopulation.email(given: "info", family: "kontakt", year: 2000, rng: &rng)
                values[3] += "|" + other
            } else if !values[4].isEmpty {
                var phone = "+4930"
                for _ in 0..<8 { phone += String(1 + rng.below(9)) }
                values[4] += "|" + phone
            }
        default: segment = rng.chance(0.5) ? segment.uppercased() : segment.prefix(1).uppercased() + segment.dropFirst()
        }
    }

    /// `+49151...` as `0151 2345678`, `(0151) 234-5678`, `0049 151 ...`, `+49 (0)151 ...`.
    static func nationalPhone(_ phone: String, _ rng: inout SeededGenerator) -> String {
        guard phone.hasPrefix("+49") else { return phone }
        let national = Array(phone.dropFirst(3))
        let prefix = String(national.prefix(3)), rest = String(national.dropFirst(3))
        switch rng.below(6) {
        case 0: return "0" + prefix + " " + rest
        case 1: return "0" + prefix + "-" + rest
        case 2: return "(0" + prefix + ") " + rest.prefix(3) + " " + rest.dropFirst(3)
        case 3: return "0049 " + prefix + " " + rest
        case 4: return "+49 (0)" + prefix + " " + rest
        default: return "0" + prefix + "/" + rest
        }
    }

    static func noisyEmail(_ email: String, _ rng: inout SeededGenerator) -> String {
        switch rng.below(3) {
        case 0: return email.uppercased()
        case 1: return " " + email + " "
        default: return email.prefix(1).uppercased() + email.dropFirst()
        }
    }

    /// `1984-03-07` as `07.03.1984`, `7.3.1984`, `19840307` or `1984/03/07`.
    static func noisyDate(_ date: String, _ rng: inout SeededGenerator) -> String {
        let parts = date.split(separator: "-")
        guard parts.count == 3 else { return date }
        let (y, m, d) = (String(parts[0]), String(parts[1]), String(parts[2]))
        switch rng.below(4) {
        case 0: return d + "." + m + "." + y
        case 1: return String(Int(d)!) + "." + String(Int(m)!) + "." + y
        case 2: return y + m + d
        default: return y + "/" + m + "/" + d
        }
    }

    /// One edit: substitute, delete, transpose or double a letter after the first.
    static func typo(_ name: String, _ rng: inout SeededGenerator) -> String {
        var chars = Array(name)
        guard chars.count >= 4 else { return name }
        let i = 1 + rng.below(chars.count - 2)
        switch rng.below(4) {
        case 0: chars[i] = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(rng.below(26))))
        case 1: chars.remove(at: i)
        case 2: chars.swapAt(i, i + 1)
        default: chars.insert(chars[i], at: i)
        }
        return String(chars)
    }

    /// Extra spaces: doubled inner space, trailing space or a no-break space at the end.
    static func padded(_ value: String, _ rng: inout SeededGenerator) -> String {
        switch rng.below(3) {
        case 0: return value.replacingFirstSpace(with: "  ")
        case 1: return value + " "
        default: return " " + value + "\u{00A0}"
        }
    }
}

extension String {
    func replacingFirstSpace(with replacement: String) -> String {
        guard let index = firstIndex(of: " ") else { return self + " " }
        return String(self[..<index]) + replacement + String(self[index...].dropFirst())
    }
}
