public import AccordModel
import AccordPolicy
public import AccordStore

/// Retention: interaction events older than their type's retention are removed on every node, and
/// refused when they arrive late, so every node ends up holding the same events.
public enum Retention {
    /// Whether an event is past its retention at `now` (milliseconds since 1970).
    public static func isExpired(_ event: InteractionEvent, days: Int, now: Int64) -> Bool {
        event.atMillis + Int64(days) * 86_400_000 <= now
    }
}

/// What a retention run removed.
public struct RetentionReport: Equatable, Sendable {
    /// Interaction entries removed from record states.
    public var entries: Int
    /// Leaves redacted in stored batches (content dropped, hash kept: the batches still verify).
    public var leaves: Int

    /// Creates a report.
    public init(entries: Int, leaves: Int) {
        self.entries = entries
        self.leaves = leaves
    }
}

extension Node {
    /// Removes every interaction event past its retention under the policy: from the record states
    /// and, by redaction, from the stored batches.
    public func applyRetention() throws -> RetentionReport {
        guard let model = policy.interactions else { return RetentionReport(entries: 0, leaves: 0) }
        let now = Int64(self.now())
        func expired(_ value: Value?) -> Bool {
            guard case .interaction(let event)? = value, let days = model.retentionDays[event.type] else { return false }
            return Retention.isExpired(event, days: days, now: now)
        }
        do {
            let entries = try store.removeRegisters { attribute, register in
                attribute.rawValue.hasPrefix("interaction:") && expired(register.value)
            }
            let leaves = try store.redactLeaves(inClass: model.shareClass) { write in
                write.changes.allSatisfy { $0.attribute.rawValue.hasPrefix("interaction:") && expired($0.value) }
            }
            if entries > 0 || leaves > 0 {
                try audit("retention.run", detail: "\(entries) interaction entries removed, \(leaves) leaves redacted", operatorName: "retention")
            }
            return RetentionReport(entries: entries, leaves: leaves)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.storage, "cannot apply retention", cause: error)
        }
    }
}

extension Node {
    /// Records an interaction event on one of this unit's records (append-only: each event is its
    /// own entry `interaction:<event id>`).
    /// - Throws: ``NodeError`` `.notAllowed` when the policy has no interaction model or not this type.
    @discardableResult
    public func recordInteraction(localId: String, eventId: String, event: InteractionEvent) throws -> LocalCommit {
        guard let model = policy.interactions else { throw NodeError(.notAllowed, "policy v\(policy.version) has no interaction model") }
        guard let days = model.retentionDays[event.type] else {
            throw NodeError(.notAllowed, "unknown interaction type \"\(event.type)\" (policy v\(policy.version): \(model.types.sorted().joined(separator: ", ")))")
        }
        guard !Retention.isExpired(event, days: days, now: Int64(now())) else {
            throw NodeError(.notAllowed, "the event is older than its retention of \(days) days")
        }
        let attribute: AttributeName
        let record: RecordKey
        do {
            attribute = try InteractionEvent.attribute(eventId: eventId)
            record = try RecordKey(unit: unit, localId: localId)
        } catch {
            throw NodeError(.notAllowed, "event id or local id is not valid", cause: error)
        }
        do {
            return try store.commitLocal([PendingWrite(record: record, changes: [(attribute: attribute, value: .interaction(event))])],
                                         shareClass: shareClass(of:), policyVersion: UInt64(policy.version), key: signingKey, now: now())
        } catch {
            throw NodeError(.storage, "cannot record the interaction on \(record)", cause: error)
        }
    }
}
