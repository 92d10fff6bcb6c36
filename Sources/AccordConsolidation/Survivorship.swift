public import AccordModel

/// How a profile's golden value of one attribute is chosen among its records' registers.
public struct SurvivorshipRule: Codable, Sendable, Equatable {
    /// The kinds of rule.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The value written last (greatest clock reading).
        case mostRecent
        /// The value of the first author in ``SurvivorshipRule/units``; unlisted authors after the
        /// listed ones; among one author's values the most recent.
        case sourcePriority
        /// The most complete value: the most non-space characters (text) or items (sets); ties go to
        /// the most recent.
        case mostComplete
        /// Every value: the union of all items (texts count as one item each), as a set.
        case union
    }

    /// The kind.
    public var kind: Kind
    /// For ``Kind/sourcePriority``: authoring units, most trusted first.
    public var units: [String]?

    /// Creates a rule.
    public init(kind: Kind, units: [String]? = nil) {
        self.kind = kind
        self.units = units
    }

    /// ``Kind/mostRecent``.
    public static let mostRecent = SurvivorshipRule(kind: .mostRecent)
    /// ``Kind/mostComplete``.
    public static let mostComplete = SurvivorshipRule(kind: .mostComplete)
    /// ``Kind/union``.
    public static let union = SurvivorshipRule(kind: .union)
    /// ``Kind/sourcePriority`` over `units`.
    public static func sourcePriority(_ units: [UnitID]) -> SurvivorshipRule {
        SurvivorshipRule(kind: .sourcePriority, units: units.map(\.rawValue))
    }
}

/// Survivorship rules per attribute, with defaults for scalar and multi-valued attributes. A plain
/// value with a stable JSON form (``ConsolidationJSON``), meant for the policy's `survivorship` section.
public struct SurvivorshipRules: Codable, Sendable, Equatable {
    /// The rule for attributes holding text, unless listed.
    public var scalars: SurvivorshipRule
    /// The rule for attributes holding sets, unless listed.
    public var sets: SurvivorshipRule
    /// Rules by attribute name.
    public var attributes: [String: SurvivorshipRule]

    /// Creates rules.
    public init(scalars: SurvivorshipRule = .mostRecent, sets: SurvivorshipRule = .union, attributes: [String: SurvivorshipRule] = [:]) {
        self.scalars = scalars
        self.sets = sets
        self.attributes = attributes
    }

    /// Most recent for scalars, union for sets.
    public static let standard = SurvivorshipRules()

    /// The rule for an attribute whose values are sets (`isSet`) or text.
    public func rule(for attribute: AttributeName, isSet: Bool) -> SurvivorshipRule {
        attributes[attribute.rawValue] ?? (isSet ? sets : scalars)
    }
}

/// One author's registers on one record: survivorship's input, as the store holds it.
public struct RecordRegisters: Sendable, Equatable {
    /// The record.
    public var record: RecordKey
    /// The author of these registers.
    public var author: UnitID
    /// The registers.
    public var state: RecordState

    /// Creates the input.
    public init(record: RecordKey, author: UnitID, state: RecordState) {
        self.record = record
        self.author = author
        self.state = state
    }
}

/// Where a golden value came from: one entry.
public struct Lineage: Sendable, Hashable {
    /// The unit holding the record (its owner).
    public var unit: UnitID { record.unit }
    /// The record.
    public var record: RecordKey
    /// The attribute.
    public var attribute: AttributeName
    /// The entry's author.
    public var author: UnitID
    /// The entry's clock reading.
    public var hlc: HLC

    /// Creates a lineage.
    public init(record: RecordKey, attribute: AttributeName, author: UnitID, hlc: HLC) {
        self.record = record
        self.attribute = attribute
        self.author = author
        self.hlc = hlc
    }
}

/// A profile's value of one attribute, with where it came from.
public struct GoldenValue: Sendable, Equatable {
    /// The attribute.
    public var attribute: AttributeName
    /// The value.
    public var value: Value
    /// The rule that chose it.
    public var rule: SurvivorshipRule.Kind
    /// The entries it came from: the chosen one, or (for a union) every one that contributed, in
    /// record and author order.
    public var lineage: [Lineage]
}

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
                case .consent, .interaction: continue
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
