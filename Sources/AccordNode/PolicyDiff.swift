public import AccordPolicy

/// What changed between two policy versions, one line per change, for the governance team.
public enum PolicyDiff {
    /// The changes from `old` to `new`: version, units, share classes, attributes, write rules,
    /// retention, legal holds, erasure and consent propagation.
    public static func changes(from old: Policy, to new: Policy) -> [String] {
        var lines: [String] = []
        if old.federation != new.federation { lines.append("federation: \(old.federation) -> \(new.federation)") }
        if old.version != new.version { lines.append("version: \(old.version) -> \(new.version)") }
        compare(old.units, new.units, id: \.id, what: "unit", into: &lines)
        compare(old.shareClasses, new.shareClasses, id: \.name, what: "share class", into: &lines)
        compare(old.attributes, new.attributes, id: \.name, what: "attribute", into: &lines)
        let oldRules = Set(old.writeRules.map(describe)), newRules = Set(new.writeRules.map(describe))
        for rule in newRules.subtracting(oldRules).sorted() { lines.append("+ write rule: \(rule)") }
        for rule in oldRules.subtracting(newRules).sorted() { lines.append("- write rule: \(rule)") }
        for name in Set(old.retention.keys).union(new.retention.keys).sorted() where old.retention[name] != new.retention[name] {
            lines.append("~ retention of \(name): \(old.retention[name].map { "\($0) days" } ?? "none") -> \(new.retention[name].map { "\($0) days" } ?? "none")")
        }
        compare(old.legalHolds, new.legalHolds, id: \.id, what: "legal hold", into: &lines)
        if old.erasure != new.erasure {
            lines.append("~ erasure: " + (new.erasure.map { "class \($0.shareClass), requesters \($0.requesters.sorted().joined(separator: ","))" } ?? "none"))
        }
        if old.consent?.propagation != new.consent?.propagation {
            lines.append("~ consent propagation: \(old.consent?.propagation.count ?? 0) -> \(new.consent?.propagation.count ?? 0) rules")
        }
        return lines
    }

    private static func compare<T: Equatable>(_ old: [T], _ new: [T], id: (T) -> String, what: String, into lines: inout [String]) {
        let before = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        for key in after.keys.sorted() {
            if let previous = before[key] {
                if previous != after[key]! { lines.append("~ \(what) \(key) changed") }
            } else {
                lines.append("+ \(what) \(key)")
            }
        }
        for key in before.keys.sorted() where after[key] == nil { lines.append("- \(what) \(key)") }
    }

    private static func describe(_ rule: WriteRule) -> String {
        "\(rule.writer) may write \(rule.attributes.sorted().joined(separator: ",")) on records of "
            + (rule.owners.map { $0.sorted().joined(separator: ",") } ?? "every member")
    }
}
