public import AccordModel
import AccordPolicy
import AccordStore

/// A person's effective consent for one channel and purpose, over every record of their profile.
public struct ProfileConsent: Sendable {
    /// The channel (`email`, `sms`, ...).
    public var channel: String
    /// The purpose (`marketing`, `service`, ...).
    public var purpose: String
    /// Allowed or not, why, and the deciding entry.
    public var verdict: ConsentVerdict
}

/// An interaction event on one of a profile's records.
public struct ProfileInteraction: Sendable {
    /// The record it was recorded on.
    public var record: RecordKey
    /// The unit that recorded it.
    public var author: UnitID
    /// The event.
    public var event: InteractionEvent
}

extension Node {
    /// The effective consent of the person behind `records` (a profile's members) for the asking
    /// unit, for every channel and purpose of the policy's consent model: every consent entry the
    /// node holds on any of the records counts, as ``ConsentEvaluation`` rules (a decision the
    /// customer made through one unit counts on the whole profile, in its scope).
    /// - Throws: ``NodeError`` `.storage`.
    public func profileConsent(records: [RecordKey], unit asking: UnitID) throws -> [ProfileConsent] {
        guard let model = policy.consent else { return [] }
        var entries: [ConsentEntry] = []
        for record in records { entries += try consentEntries(localId: record.localId, owner: record.unit) }
        let at = Int64(now())
        return model.channels.sorted().flatMap { channel in
            model.purposes.sorted().map { purpose in
                ProfileConsent(channel: channel, purpose: purpose,
                               verdict: ConsentEvaluation.evaluate(entries, unit: asking, channel: channel, purpose: purpose, policy: policy, now: at))
            }
        }
    }

    /// The latest interaction events on any of `records`, newest first, at most `limit`.
    /// - Throws: ``NodeError`` `.storage`.
    public func profileInteractions(records: [RecordKey], limit: Int = 10) throws -> [ProfileInteraction] {
        var events: [ProfileInteraction] = []
        for record in records {
            let states: [UnitID: RecordState]
            do {
                states = try store.recordStates(record)
            } catch {
                throw NodeError(.storage, "cannot read \(record)", cause: error)
            }
            for (author, state) in states {
                for item in state.entries {
                    guard case .interaction(let event)? = item.register.value else { continue }
                    events.append(ProfileInteraction(record: record, author: author, event: event))
                }
            }
        }
        return Array(events.sorted { ($0.event.atMillis, $0.record) > ($1.event.atMillis, $1.record) }.prefix(limit))
    }
}
