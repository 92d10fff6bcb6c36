import AccordModel

/// Golden values by survivorship rules: a pure function of the registers, so every node holding the
/// same entries computes the same profile values.
public enum Survivorship {
    /// The golden value of every attribute any register holds a text or set value for (deleted
    /// registers, consent and interaction entries are not profile values), by attribute name.
    /// - Parameters:
    ///   - registers: the registers of a profile's records, every author's.
    ///   - rules: the rules.
    public static func goldenValues(_ registers: [RecordRegisters], rules: SurvivorshipRules) -> [GoldenValue] {
        struct Candidate {
            let lineage: Lineage
            let value: Value
        }
        var byAttribute: [AttributeName: [Candidate]] = [:]
        for input in registers {
            for entry in input.state.entries {
                guard let value = entry.register.value else { continue }
                switch value {
                case .text, .set: break
                case .consent, .interaction, .erasureRequest, .erasureAcknowledgement: continue
                }
                let lineage = Lineage(record: input.record, attribute: entry.attribute, author: input.author, hlc: entry.register.hlc)
                byAttribute[entry.attribute, default: []].append(Candidate(lineage: lineage, value: value))
            }
        }
        /// Most recent first; equal readings by author, then record (a total order on lineages).
        func newer(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.lineage.hlc != b.lineage.hlc { return a.lineage.hlc > b.lineage.hlc }
            if a.lineage.author != b.lineage.author { return a.lineage.author < b.lineage.author }
            return a.lineage.record < b.lineage.record
        }
        func lineageOrder(_ a: Lineage, _ b: Lineage) -> Bool {
            if a.record != b.record { return a.record < b.record }
            if a.author != b.author { return a.author < b.author }
            return a.hlc < b.hlc
        }
        var result: [GoldenValue] = []
        for attribute in byAttribute.keys.sorted() {
            let candidates = byAttribute[attribute]!
            let isSet = candidates.contains { if case .set = $0.value { return true } else { return false } }
            let rule = rules.rule(for: attribute, isSet: isSet)
            switch rule.kind {
            case .mostRecent:
                let best = candidates.min(by: newer)!
                result.append(GoldenValue(attribute: attribute, value: best.value, rule: rule.kind, lineage: [best.lineage]))
            case .sourcePriority:
                let order = rule.units ?? []
                func rank(_ c: Candidate) -> Int { order.firstIndex(of: c.lineage.author.rawValue) ?? order.count }
                let best = candidates.min { rank($0) != rank($1) ? rank($0) < rank($1) : newer($0, $1) }!
                result.append(GoldenValue(attribute: attribute, value: best.value, rule: rule.kind, lineage: [best.lineage]))
            case .mostComplete:
                func completeness(_ c: Candidate) -> Int {
                    switch c.value {
                    case .text(let text): return text.unicodeScalars.filter { !$0.properties.isWhitespace }.count
                    case .set(let items): return items.count
                    default: return 0
                    }
                }
                let best = candidates.min {
                    completeness($0) != completeness($1) ? completeness($0) > completeness($1) : newer($0, $1)
                }!
                result.append(GoldenValue(attribute: attribute, value: best.value, rule: rule.kind, lineage: [best.lineage]))
            case .union:
                var items: [String] = []
                for candidate in candidates {
                    switch candidate.value {
                    case .text(let text): items.append(text)
                    case .set(let values): items += values
                    default: break
                    }
                }
                let lineage = candidates.map(\.lineage).sorted(by: lineageOrder)
                result.append(GoldenValue(attribute: attribute, value: Value.makeSet(items), rule: rule.kind, lineage: lineage))
            }
        }
        return result
    }
}
