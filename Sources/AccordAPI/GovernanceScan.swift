import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation

/// One pass over every record state for the dashboard's data-quality and consent figures. A
/// record's attribute counts as present when the winning register (over all authors) holds a
/// value, and as valid when every text of it passes the policy's rule in normalized form (what
/// admission checks today, so values admitted under an older policy can count as invalid).
/// Validation costs far more than the rest, so it runs on an even sample of about
/// ``validitySample`` records per unit (every n-th record in key order); completeness and the
/// consent figures (rates now and per month, do-not-contact, expiring, channel shifts, see
/// ``ChannelShifts``) count every record.
struct GovernanceScan {
    private struct Key: Hashable {
        var unit: String
        var attribute: String
    }

    private struct MonthKey: Hashable {
        var unit: String
        var channel: String
        var month: String
    }

    private struct Shift: Hashable {
        var from: String
        var to: String
    }

    private let policy: Policy
    private let now: Int64
    /// About how many records per unit are validated.
    static let validitySample = 5_000

    private let validity: CatalogValidity
    private let strides: [String: Int]
    private var records: [String: Int] = [:]
    private var checked: [Key: Int] = [:]
    private var present: [Key: Int] = [:]
    private var valid: [Key: Int] = [:]
    private var consent: [Key: (decisions: Int, optOuts: Int, optDowns: Int)] = [:]
    private var months: [String: (optIns: Int, optOuts: Int)] = [:]
    private var series: [MonthKey: (decisions: Int, optOuts: Int, optDowns: Int)] = [:]
    private var shifts: [Shift: Int] = [:]
    private var recordDecisions: [ChannelShifts.Decision] = []
    private var doNotContact = 0
    private var expiring = 0

    private init(policy: Policy, settings: NormalizationSettings, now: Int64, owners: [String: Int]) {
        self.policy = policy
        strides = owners.mapValues { max(1, $0 / Self.validitySample) }
        self.now = now
        validity = CatalogValidity(policy: policy, settings: settings)
    }

    /// Scans `node`'s record states and writes the quality and consent figures into `figures`.
    static func run(_ node: Node, policy: Policy, now: Int64, into figures: inout GovernanceFigures) throws {
        var scan = GovernanceScan(policy: policy, settings: node.normalizationSettings(), now: now, owners: try node.store.recordCountsByOwner())
        var current: RecordKey?
        var states: [RecordState] = []
        try node.store.forEachRecordState { key, _, state in
            if key != current {
                if let current { scan.add(current, states) }
                current = key
                states.removeAll(keepingCapacity: true)
            }
            states.append(state)
        }
        if let current { scan.add(current, states) }
        scan.write(into: &figures)
    }

    private mutating func add(_ key: RecordKey, _ states: [RecordState]) {
        guard !key.localId.hasPrefix(ErasureRequest.localIdPrefix) else { return }
        let owner = key.unit.rawValue
        let index = records[owner, default: 0]
        records[owner] = index + 1
        let validate = index % (strides[owner] ?? 1) == 0
        var winners: [AttributeName: Register] = [:]
        for state in states {
            for entry in state.entries {
                if let held = winners[entry.attribute], !entry.register.wins(over: held) { continue }
                winners[entry.attribute] = entry.register
            }
        }
        var dnc = false
        recordDecisions.removeAll(keepingCapacity: true)
        for (attribute, register) in winners {
            if let topic = ConsentTopic(attribute: attribute) {
                if case .consent(let decision)? = register.value { addConsent(topic, decision, dnc: &dnc) }
                continue
            }
            guard let value = register.value, policy.attribute(attribute.rawValue) != nil else { continue }
            let slot = Key(unit: owner, attribute: attribute.rawValue)
            present[slot, default: 0] += 1
            guard validate else { continue }
            checked[slot, default: 0] += 1
            if validity.isValid(value, of: attribute.rawValue) { valid[slot, default: 0] += 1 }
        }
        if dnc { doNotContact += 1 }
        if recordDecisions.count > 1 {
            for shift in ChannelShifts.of(recordDecisions) { shifts[Shift(from: shift.from, to: shift.to), default: 0] += 1 }
        }
    }

    private mutating func addConsent(_ topic: ConsentTopic, _ decision: ConsentDecision, dnc: inout Bool) {
        let live = decision.expiresAtMillis.map { $0 > now } ?? true
        if let expires = decision.expiresAtMillis, expires > now, expires <= now + 30 * 86_400_000 { expiring += 1 }
        if live, topic.channel == ConsentModel.everything, topic.purpose == ConsentModel.everything, topic.scope == .company,
           decision.choice == .optOut {
            dnc = true
        }
        let slot = Key(unit: decision.collectedBy.rawValue, attribute: topic.channel)
        var rates = consent[slot] ?? (0, 0, 0)
        rates.decisions += 1
        if decision.choice == .optOut { rates.optOuts += 1 }
        if decision.choice == .optIn && decision.frequency != nil { rates.optDowns += 1 }
        consent[slot] = rates
        let month = String(Timestamp.iso(millis: decision.decidedAtMillis).prefix(7))
        var counts = months[month] ?? (0, 0)
        if decision.choice == .optOut { counts.optOuts += 1 } else { counts.optIns += 1 }
        months[month] = counts
        let period = MonthKey(unit: decision.collectedBy.rawValue, channel: topic.channel, month: month)
        var monthly = series[period] ?? (0, 0, 0)
        monthly.decisions += 1
        if decision.choice == .optOut { monthly.optOuts += 1 }
        if decision.choice == .optIn && decision.frequency != nil { monthly.optDowns += 1 }
        series[period] = monthly
        recordDecisions.append(ChannelShifts.Decision(channel: topic.channel, optOut: decision.choice == .optOut, decidedAtMillis: decision.decidedAtMillis))
    }

    private func write(into figures: inout GovernanceFigures) {
        var rows: [GovernanceFigures.Quality] = []
        for unit in policy.units.map(\.id) {
            let total = records[unit] ?? 0
            for attribute in policy.attributes {
                let slot = Key(unit: unit, attribute: attribute.name)
                let held = present[slot] ?? 0
                guard held > 0 || policy.mayAuthor(unit: unit, attribute: attribute.name).isAllowed, total > 0 else { continue }
                rows.append(GovernanceFigures.Quality(unit: unit, attribute: attribute.name, records: total, present: held,
                                                      checked: checked[slot] ?? 0, valid: valid[slot] ?? 0))
            }
        }
        figures.quality = rows
        figures.consent = consent.map { GovernanceFigures.ConsentRates(unit: $0.key.unit, channel: $0.key.attribute, decisions: $0.value.decisions,
                                                                         optOuts: $0.value.optOuts, optDowns: $0.value.optDowns) }
            .sorted { ($0.unit, $0.channel) < ($1.unit, $1.channel) }
        let lastYear = Self.lastMonths(12, endingAt: now)
        let shown = Set(lastYear)
        figures.consentMonths = series.filter { shown.contains($0.key.month) }.map {
            GovernanceFigures.ConsentMonth(unit: $0.key.unit, channel: $0.key.channel, month: $0.key.month, decisions: $0.value.decisions,
                                           optOuts: $0.value.optOuts, optDowns: $0.value.optDowns)
        }.sorted { ($0.unit, $0.channel, $0.month) < ($1.unit, $1.channel, $1.month) }
        figures.channelShifts = shifts.map { GovernanceFigures.ChannelShift(from: $0.key.from, to: $0.key.to, records: $0.value) }
            .sorted { ($1.records, $0.from, $0.to) < ($0.records, $1.from, $1.to) }
        figures.months = lastYear.map { month in
            GovernanceFigures.Month(month: month, optIns: months[month]?.optIns ?? 0, optOuts: months[month]?.optOuts ?? 0)
        }
        figures.doNotContact = doNotContact
        figures.expiringWithin30Days = expiring
    }

    /// The `count` calendar months (`YYYY-MM`) up to the one holding `millis`, oldest first.
    static func lastMonths(_ count: Int, endingAt millis: Int64) -> [String] {
        let text = Timestamp.iso(millis: millis)
        guard let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)) else { return [] }
        return (0..<count).reversed().map { back in
            let index = year * 12 + (month - 1) - back
            return String(format: "%04d-%02d", index / 12, index % 12 + 1)
        }
    }
}
