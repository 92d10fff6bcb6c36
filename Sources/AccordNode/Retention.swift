public import AccordModel
import AccordPolicy
public import AccordStore

/// Retention: entries of a share class with a retention expire that many days after their clock
/// reading (when they were last written), and interaction events that many days after they
/// happened (per event type). Expired entries are removed on every node and redacted in stored
/// batches; late copies are stored redacted and not applied (``EntryScreen``), so every node ends up
/// holding the same entries. A legal hold suspends retention for what it covers.
public enum Retention {
    /// Whether an event is past its retention at `now` (milliseconds since 1970).
    public static func isExpired(_ event: InteractionEvent, days: Int, now: Int64) -> Bool {
        event.atMillis + Int64(days) * 86_400_000 <= now
    }

    /// Whether an entry written at `writtenAtMillis` is past a retention of `days` at `now`.
    public static func isExpired(writtenAtMillis: Int64, days: Int, now: Int64) -> Bool {
        writtenAtMillis + Int64(days) * 86_400_000 <= now
    }
}

/// What a retention run removed.
public struct RetentionReport: Equatable, Sendable {
    /// Entries removed from record states.
    public var entries: Int
    /// Leaves redacted in stored batches (content dropped, hash kept: the batches still verify).
    public var leaves: Int
    /// Entries removed, per share class.
    public var entriesByClass: [String: Int]

    /// Creates a report.
    public init(entries: Int, leaves: Int, entriesByClass: [String: Int] = [:]) {
        self.entries = entries
        self.leaves = leaves
        self.entriesByClass = entriesByClass
    }
}

extension Node {
    /// Removes every entry past its retention under the policy (per share class, and interaction
    /// events per type) that no legal hold covers: from the record states and, by redaction, from
    /// the stored batches.
    public func applyRetention() throws -> RetentionReport {
        let policy = self.policy
        let interactions = policy.interactions
        guard !policy.retention.isEmpty || interactions != nil else { return RetentionReport(entries: 0, leaves: 0) }
        let now = Int64(self.now())
        func held(_ record: RecordKey, _ shareClass: String) -> Bool {
            !policy.legalHolds.isEmpty && policy.legalHold(record: record.description, shareClass: shareClass) != nil
        }
        func expiredEvent(_ value: Value?) -> Bool {
            guard case .interaction(let event)? = value, let days = interactions?.retentionDays[event.type] else { return false }
            return Retention.isExpired(event, days: days, now: now)
        }
        func expired(_ hlc: HLC, _ shareClass: String) -> Bool {
            policy.retention[shareClass].map { Retention.isExpired(writtenAtMillis: Int64(hlc.physicalMillis), days: $0, now: now) } ?? false
        }
        do {
            var byClass: [String: Int] = [:]
            var touched = Set<RecordKey>()
            let entries = try store.removeRegisters { record, _, attribute, register in
                guard let shareClass = policy.shareClass(ofAttribute: attribute.rawValue), !held(record, shareClass) else { return false }
                guard expired(register.hlc, shareClass) || (attribute.rawValue.hasPrefix("interaction:") && expiredEvent(register.value)) else {
                    return false
                }
                byClass[shareClass, default: 0] += 1
                touched.insert(record)
                return true
            }
            // Profiles hold copies of the values: those of the records touched go now, the rest is recomputed.
            if !touched.isEmpty { try store.forgetProfiles(holding: touched.sorted()) }
            var leaves = 0
            for shareClass in Set(policy.retention.keys).union(interactions.map { [$0.shareClass] } ?? []).sorted() {
                leaves += try store.redactLeaves(inClass: shareClass) { write in
                    guard !held(write.record, shareClass) else { return false }
                    if expired(write.hlc, shareClass) { return true }
                    return shareClass == interactions?.shareClass
                        && write.changes.allSatisfy { $0.attribute.rawValue.hasPrefix("interaction:") && expiredEvent($0.value) }
                }
            }
            if entries > 0 || leaves > 0 {
                let classes = byClass.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                try audit("retention.run", detail: "\(entries) entries removed (\(classes)), \(leaves) leaves redacted", operatorName: "retention")
            }
            return RetentionReport(entries: entries, leaves: leaves, entriesByClass: byClass)
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
        try refuseIfErased(record)
        do {
            return try store.commitLocal([PendingWrite(record: record, changes: [(attribute: attribute, value: .interaction(event))])],
                                         shareClass: shareClass(of:), policyVersion: UInt64(policy.version), key: signingKey, now: now())
        } catch {
            throw NodeError(.storage, "cannot record the interaction on \(record)", cause: error)
        }
    }
}
