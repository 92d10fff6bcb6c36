import Foundation

/// A strict reader of the Prometheus text exposition format 0.0.4, for checking `/metrics`
/// where `promtool` is not installed: every line a `# HELP`, a `# TYPE` or a sample; each family
/// declared once, typed before its samples, samples of a family together; metric and label names
/// valid; label values quoted with only `\\`, `\"` and `\n` escapes; values numbers (or NaN,
/// +Inf, -Inf); counters not negative; histogram buckets cumulative, ending in `le="+Inf"` equal
/// to `_count`.
struct PrometheusFormat {
    /// A sample: metric name, labels, value.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    private(set) var samples: [Sample] = []
    private(set) var types: [String: String] = [:]
    private(set) var problems: [String] = []

    init(_ text: String) {
        guard text.hasSuffix("\n") else {
            problems.append("the exposition does not end with a newline")
            return
        }
        var helped: Set<String> = []
        var closed: Set<String> = []
        var current: String?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let at = "line \(index + 1)"
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, Self.isMetricName(parts[2]) else { problems.append("\(at): malformed comment line"); continue }
                let name = String(parts[2])
                if line.hasPrefix("# HELP ") {
                    if !helped.insert(name).inserted { problems.append("\(at): second HELP for \(name)") }
                } else {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        problems.append("\(at): unknown type"); continue
                    }
                    if types[name] != nil { problems.append("\(at): second TYPE for \(name)") }
                    if samples.contains(where: { Self.family(of: $0.name, types: types) == name }) { problems.append("\(at): TYPE after samples of \(name)") }
                    types[name] = String(parts[3])
                }
                if let current, current != name { closed.insert(current) }
                current = name
                continue
            }
            if line.hasPrefix("#") || line.isEmpty { problems.append("\(at): unexpected line"); continue }
            guard let sample = Self.parseSample(line) else { problems.append("\(at): malformed sample: \(line)"); continue }
            let family = Self.family(of: sample.name, types: types)
            if closed.contains(family) { problems.append("\(at): samples of \(family) are not together") }
            if family != current, let current { closed.insert(current) }
            current = family
            if types[family] == "counter" && sample.value < 0 { problems.append("\(at): negative counter") }
            samples.append(sample)
        }
        checkHistograms()
    }

    /// The family a sample name belongs to (`x_bucket` of histogram `x` is `x`).
    static func family(of name: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    static func isMetricName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || (first.properties.isAlphabetic && first.isASCII) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0 == ":" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    static func isLabelName(_ name: Substring) -> Bool { isMetricName(name) && !name.contains(":") }

    static func parseSample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = rest[..<nameEnd]
        guard isMetricName(name) else { return nil }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "="), isLabelName(rest[..<equals]) else { return nil }
                let label = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                while true {
                    guard let character = rest.first else { return nil }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.first else { return nil }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: return nil
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: label) == nil else { return nil }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count) else { return nil }
        let text = String(fields[0])
        let value: Double
        switch text {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default:
            guard let number = Double(text), text.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            value = number
        }
        if fields.count == 2 && Int64(fields[1]) == nil { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private mutating func checkHistograms() {
        for (name, type) in types where type == "histogram" {
            var series: [String: [(le: Double, value: Double)]] = [:]
            var counts: [String: Double] = [:]
            for sample in samples {
                var labels = sample.labels
                let le = labels.removeValue(forKey: "le")
                let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                if sample.name == name + "_bucket" {
                    guard let le, let bound = le == "+Inf" ? Double.infinity : Double(le) else { problems.append("\(name): a bucket without le"); continue }
                    series[key, default: []].append((bound, sample.value))
                } else if sample.name == name + "_count" {
                    counts[key] = sample.value
                }
            }
            for (key, buckets) in series {
                if buckets.map(\.le) != buckets.map(\.le).sorted() { problems.append("\(name){\(key)}: buckets out of order") }
                if buckets.map(\.value) != buckets.map(\.value).sorted() { problems.append("\(name){\(key)}: buckets not cumulative") }
                if buckets.last?.le != .infinity || buckets.last?.value != counts[key] { problems.append("\(name){\(key)}: +Inf bucket missing or not _count") }
            }
        }
    }

    /// The value of the one sample with this name and these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
