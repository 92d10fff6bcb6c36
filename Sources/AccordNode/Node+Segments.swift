public import AccordModel
public import AccordSegments
public import AccordPolicy
import AccordStore
import AccordCrypto
import Foundation

/// A segment evaluated for one asking unit, channel and purpose: the outcome (counts, exclusions,
/// the audience's rows) and the table and facts it was computed from.
public struct SegmentRun: Sendable {
    /// The parsed filter.
    public var expression: SegmentExpression
    /// Counts, exclusions by reason and the audience.
    public var outcome: SegmentOutcome
    /// The profiles as columns.
    public var table: SegmentTable
    /// The profiles' facts, by table row (golden values: only those the asking unit may see).
    public var facts: [PersonFacts]
    /// The attributes the asking unit may see, in policy order: what an export may hold.
    public var visibleAttributes: [String]
    /// When the filter was evaluated, milliseconds since 1970.
    public var asOfMillis: Int64
    /// The consent entries on each profile's records, by table row (for consent movements).
    public var consentEntries: [[ConsentEntry]]
}

extension Node {
    /// The facts of every stored profile: all golden values the node holds, the units holding a
    /// record, the interactions on its records and effective consent for the asking unit.
    /// - Parameters:
    ///   - asking: the unit whose consent is evaluated.
    ///   - refresh: bring the profiles up to date first.
    /// - Throws: ``NodeError`` `.storage`.
    public func segmentFacts(unit asking: UnitID, refresh: Bool = true) throws -> [PersonFacts] {
        try factsAndEntries(unit: asking, refresh: refresh).map(\.facts)
    }

    private func factsAndEntries(unit asking: UnitID, refresh: Bool) throws -> [(facts: PersonFacts, entries: [ConsentEntry])] {
        if refresh { try refreshProfiles() }
        let bodies: [(id: String, body: [UInt8])]
        do { bodies = try store.allProfileBodies() } catch { throw NodeError(.storage, "cannot read the profiles", cause: error) }
        let at = Int64(now())
        return try bodies.map { stored in
            var document = (try? JSONSerialization.jsonObject(with: Data(stored.body)) as? [String: Any]) ?? [:]
            document["id"] = stored.id
            return try facts(document: document, unit: asking, now: at)
        }
    }

    /// The facts of one profile, from its stored document.
    /// - Throws: ``NodeError`` `.storage`.
    /// - Parameter includeConsent: compute effective consent for every channel and purpose (segments
    ///   need it; the lifecycle does not, and skipping it saves most of the work).
    public func profileFacts(body: [UInt8], unit asking: UnitID, includeConsent: Bool = true) throws -> PersonFacts? {
        guard let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], document["id"] is String else { return nil }
        return try facts(document: document, unit: asking, now: Int64(now()), includeConsent: includeConsent).facts
    }

    /// The lifecycle stage of a profile as of now, with lineage; `nil` when the policy has no lifecycle.
    public func lifecycle(of facts: PersonFacts) -> LifecycleAssignment? {
        policy.lifecycle.map { LifecycleEvaluator.assign(facts, model: $0, asOf: Int64(now())) }
    }

    /// Evaluates a segment filter with effective consent applied for the asking unit, channel and
    /// purpose (``SegmentEngine``).
    /// - Throws: ``NodeError`` `.notAllowed` for a filter that does not parse (the message gives the
    ///   column and what was expected), a channel or purpose outside the consent model, or a policy
    ///   without consent; `.storage`.
    public func evaluateSegment(_ text: String, unit asking: UnitID, channel: String, purpose: String, refresh: Bool = true) throws -> SegmentRun {
        let expression = try parseSegment(text, unit: asking, channel: channel, purpose: purpose)
        let model = policy.consent!
        guard policy.units.count <= 64 else { throw NodeError(.notAllowed, "segments support federations of at most 64 units") }
        let vocabulary = SegmentVocabulary(policy: policy, unit: asking.rawValue)
        let held = try factsAndEntries(unit: asking, refresh: refresh)
        let visible = policy.attributes.map(\.name).filter { vocabulary.attributes.contains($0) }
        let keys = model.channels.sorted().flatMap { c in model.purposes.sorted().map { ConsentKey(channel: c, purpose: $0) } }
        var table = SegmentTable(stageNames: vocabulary.stages, unitNames: policy.units.map(\.id), attributes: visible, consentKeys: keys)
        let at = Int64(now())
        var shown: [PersonFacts] = []
        shown.reserveCapacity(held.count)
        for var person in held.map(\.facts) {
            let stage = policy.lifecycle.map { LifecycleEvaluator.assign(person, model: $0, asOf: at).stage } ?? nil
            if !vocabulary.seesInteractions { person.interactions = [] }
            person.values = person.values.filter { vocabulary.attributes.contains($0.key) }
            table.append(person, stage: stage)
            shown.append(person)
        }
        let predicate = SegmentEngine.compile(expression, table: table, asOf: at)
        let outcome = SegmentEngine.run(predicate, table: table, channel: channel, purpose: purpose,
                                        contactAttributes: contactAttributes(channel: channel, visible: Set(visible)))
        return SegmentRun(expression: expression, outcome: outcome, table: table, facts: shown, visibleAttributes: visible, asOfMillis: at,
                          consentEntries: held.map(\.entries))
    }

    /// Checks a filter, channel and purpose for the asking unit without evaluating it.
    /// - Throws: ``NodeError`` `.notAllowed` as ``evaluateSegment(_:unit:channel:purpose:refresh:)``.
    public func parseSegment(_ text: String, unit asking: UnitID, channel: String, purpose: String) throws -> SegmentExpression {
        guard let model = policy.consent else {
            throw NodeError(.notAllowed, "policy v\(policy.version) has no consent model: segments apply consent, so they need one")
        }
        guard model.channels.contains(channel) else {
            throw NodeError(.notAllowed, "unknown channel \"\(channel)\" (policy v\(policy.version): \(model.channels.sorted().joined(separator: ", ")))")
        }
        guard model.purposes.contains(purpose) else {
            throw NodeError(.notAllowed, "unknown purpose \"\(purpose)\" (policy v\(policy.version): \(model.purposes.sorted().joined(separator: ", ")))")
        }
        guard policy.isMember(asking.rawValue) else { throw NodeError(.notAllowed, "unit \(asking) is not a member of federation \(policy.federation)") }
        do {
            return try SegmentParser.parse(text, vocabulary: SegmentVocabulary(policy: policy, unit: asking.rawValue))
        } catch {
            throw NodeError(.notAllowed, "segment filter: \(error)")
        }
    }

    /// The attributes that reach a person on a channel: e-mail addresses for `email`, phone numbers
    /// for `sms` and `phone`, postcodes (a postal address) for `mail`, among those the unit may see.
    /// `nil` for other channels (they need no contact point); an empty list when the unit may see
    /// no such attribute (then nobody is reachable).
    public func contactAttributes(channel: String, visible: Set<String>) -> [String]? {
        let type: AttributeType
        switch channel {
        case "email": type = .email
        case "sms", "phone": type = .phone
        case "mail": type = .postcode
        default: return nil
        }
        return policy.attributes.filter { $0.type == type }.map(\.name).filter { visible.contains($0) }
    }

    /// A short, non-reversible reference to a filter for the audit log (the filter may quote
    /// customer values, which the log must not hold): `sha256:` and 16 hexadecimal digits.
    public static func filterReference(_ expression: SegmentExpression) -> String {
        "sha256:" + String(SHA256.hash(Array(expression.description.utf8)).description.prefix(16))
    }

    private func facts(document: [String: Any], unit asking: UnitID, now at: Int64, includeConsent: Bool = true) throws
        -> (facts: PersonFacts, entries: [ConsentEntry]) {
        let id = document["id"] as? String ?? ""
        let records = (document["records"] as? [String] ?? []).compactMap(RecordKey.init(described:))
        var values: [String: [String]] = [:]
        var lineage: [String: String] = [:]
        for value in document["values"] as? [[String: Any]] ?? [] {
            guard let attribute = value["attribute"] as? String else { continue }
            if let text = value["value"] as? String, !text.isEmpty { values[attribute] = [text] }
            if let items = value["value"] as? [String], !items.isEmpty { values[attribute] = items }
            if let first = (value["lineage"] as? [[String: Any]])?.first {
                lineage[attribute] = "\(first["record"] as? String ?? "") by \(first["author"] as? String ?? "")"
            }
        }
        var entries: [ConsentEntry] = []
        var interactions: [FactInteraction] = []
        for record in records {
            let states: [UnitID: RecordState]
            do { states = try store.recordStates(record) } catch { throw NodeError(.storage, "cannot read \(record)", cause: error) }
            for (author, state) in states {
                for item in state.entries {
                    switch item.register.value {
                    case .consent(let decision)?:
                        if let topic = ConsentTopic(attribute: item.attribute) {
                            entries.append(ConsentEntry(topic: topic, decision: decision, author: author, record: record))
                        }
                    case .interaction(let event)?:
                        interactions.append(FactInteraction(type: event.type, channel: event.channel, atMillis: event.atMillis,
                                                            record: record.description, author: author.rawValue, attribute: item.attribute.rawValue))
                    default: break
                    }
                }
            }
        }
        var consent: [ConsentKey: FactConsent] = [:]
        if includeConsent, let model = policy.consent {
            for channel in model.channels {
                for purpose in model.purposes {
                    consent[ConsentKey(channel: channel, purpose: purpose)] = ConsentEvaluation.status(
                        entries, unit: asking, channel: channel, purpose: purpose, policy: policy, now: at)
                }
            }
        }
        return (PersonFacts(id: id, records: records.map(\.description), units: Set(records.map(\.unit.rawValue)), values: values,
                            valueLineage: lineage, interactions: interactions, consent: consent), entries)
    }
}

extension ConsentEvaluation {
    /// Effective consent reduced to allowed or the reason it is not (for segments): a company-wide
    /// do-not-contact, an opt-out, no current decision while one covering the unit expired, or none.
    public static func status(_ entries: [ConsentEntry], unit: UnitID, channel: String, purpose: String, policy: Policy, now: Int64) -> FactConsent {
        let verdict = evaluate(entries, unit: unit, channel: channel, purpose: purpose, policy: policy, now: now)
        if verdict.allowed { return FactConsent(status: .allowed, limited: verdict.frequency != nil) }
        let everything = ConsentModel.everything
        if let deciding = verdict.deciding {
            let dnc = deciding.topic.channel == everything && deciding.topic.purpose == everything && deciding.topic.scope == .company
            return FactConsent(status: dnc ? .doNotContact : .optOut)
        }
        let line = policy.unit(unit.rawValue)?.lineOfBusiness
        let expired = entries.contains { entry in
            (entry.decision.expiresAtMillis.map { $0 <= now } ?? false)
                && (entry.topic.channel == channel || entry.topic.channel == everything)
                && (entry.topic.purpose == purpose || entry.topic.purpose == everything)
                && covers(entry.topic.scope, unit: unit, line: line)
        }
        return FactConsent(status: expired ? .expired : .none)
    }
}
