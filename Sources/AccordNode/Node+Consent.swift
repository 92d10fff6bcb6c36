public import AccordModel
import AccordPolicy
public import AccordStore
import Foundation

extension Node {
    /// Records a customer's consent decision on one of this unit's records, as an entry
    /// `consent:<channel>:<purpose>:<scope>` with its evidence; it replicates like any entry.
    /// - Parameters:
    ///   - localId: the unit's id for the customer.
    ///   - topic: channel, purpose and scope.
    ///   - decision: the decision and its evidence; `collectedBy` must be this unit.
    ///   - operatorName: who records it, for the audit log.
    /// - Throws: ``NodeError`` `.notAllowed` when the policy has no consent model, or the channel,
    ///   purpose or scope is not in it.
    @discardableResult
    public func recordConsent(localId: String, topic: ConsentTopic, decision: ConsentDecision,
                              operatorName: String = Node.operatorName) throws -> LocalCommit {
        guard let model = policy.consent else {
            throw NodeError(.notAllowed, "policy v\(policy.version) has no consent model")
        }
        let everything = ConsentModel.everything
        guard topic.channel == everything || model.channels.contains(topic.channel) else {
            throw NodeError(.notAllowed, "unknown consent channel \"\(topic.channel)\" (policy v\(policy.version): \(model.channels.sorted().joined(separator: ", ")))")
        }
        guard topic.purpose == everything || model.purposes.contains(topic.purpose) else {
            throw NodeError(.notAllowed, "unknown consent purpose \"\(topic.purpose)\" (policy v\(policy.version): \(model.purposes.sorted().joined(separator: ", ")))")
        }
        switch topic.scope {
        case .unit(let scoped) where !policy.isMember(scoped.rawValue):
            throw NodeError(.notAllowed, "unit \(scoped) is not a member of federation \(policy.federation)")
        case .lineOfBusiness(let line) where !policy.units.contains(where: { $0.lineOfBusiness == line }):
            throw NodeError(.notAllowed, "no unit of the federation is in line of business \"\(line)\"")
        default:
            break
        }
        guard decision.collectedBy == unit else { throw NodeError(.notAllowed, "a unit records the consent it collected itself") }
        let record: RecordKey
        do {
            record = try RecordKey(unit: unit, localId: localId)
        } catch {
            throw NodeError(.notAllowed, "local id is not valid", cause: error)
        }
        try refuseIfErased(record)
        let commit: LocalCommit
        do {
            commit = try store.commitLocal([PendingWrite(record: record, changes: [(attribute: topic.attribute, value: .consent(decision))])],
                                           shareClass: shareClass(of:), policyVersion: UInt64(policy.version), key: signingKey, now: now())
        } catch {
            throw NodeError(.storage, "cannot record consent on \(record)", cause: error)
        }
        try audit("consent.record", subject: record.description,
                  detail: "\(topic.attribute.rawValue) \(decision.choice == .optIn ? "opt-in" : "opt-out")", operatorName: operatorName)
        return commit
    }

    /// Every consent entry the node holds on a record, from every author.
    public func consentEntries(localId: String, owner: UnitID? = nil) throws -> [ConsentEntry] {
        let record = RecordKey(unchecked: owner ?? unit, localId: localId)
        let states: [UnitID: RecordState]
        do {
            states = try store.recordStates(record)
        } catch {
            throw NodeError(.storage, "cannot read \(record)", cause: error)
        }
        var entries: [ConsentEntry] = []
        for (author, state) in states {
            for item in state.entries {
                guard let topic = ConsentTopic(attribute: item.attribute), case .consent(let decision)? = item.register.value else { continue }
                entries.append(ConsentEntry(topic: topic, decision: decision, author: author, record: record))
            }
        }
        return entries
    }

    /// The effective consent on a record for a unit, channel and purpose (``ConsentEvaluation``).
    public func checkConsent(localId: String, owner: UnitID? = nil, unit asking: UnitID, channel: String, purpose: String) throws -> ConsentVerdict {
        ConsentEvaluation.evaluate(try consentEntries(localId: localId, owner: owner), unit: asking, channel: channel, purpose: purpose,
                                   policy: policy, now: Int64(now()))
    }
}
