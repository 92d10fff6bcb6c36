public import AccordModel
import AccordStore
public import Foundation
import AccordPolicy

extension Node {
    /// Who is operating this node, for the audit log: `$ACCORD_OPERATOR`, else the login name.
    public static var operatorName: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["ACCORD_OPERATOR"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }

    /// Appends to the node's audit log.
    public func audit(_ action: String, subject: String? = nil, detail: String? = nil, dueAtMillis: Int64? = nil,
                      operatorName: String = Node.operatorName) throws {
        do {
            try store.appendAudit(AuditEntry(atMillis: Int64(now()), unit: unit.rawValue, operatorName: operatorName, action: action,
                                             subject: subject, detail: detail, dueAtMillis: dueAtMillis))
        } catch {
            throw NodeError(.storage, "cannot write the audit log", cause: error)
        }
    }

    /// An access request (DSAR): everything this node holds on a record, from every unit it may see,
    /// with lineage (which unit wrote each value, when), as JSON. The request is recorded in the
    /// audit log with a due date one month out.
    /// - Parameter operatorName: who asked, for the audit log.
    /// - Returns: the JSON document.
    /// - Throws: ``NodeError`` `.notFound` when the node holds nothing on the record.
    public func exportSubject(localId: String, owner: UnitID? = nil, operatorName: String = Node.operatorName) throws -> Data {
        let key = RecordKey(unchecked: owner ?? unit, localId: localId)
        guard let view = try record(localId: localId, owner: key.unit) else {
            throw NodeError(.notFound, "no record \(key) on this node")
        }
        let requested = Int64(now())
        let due = requested + 30 * 24 * 3600 * 1000
        let iso = ISO8601DateFormatter()
        func time(_ millis: Int64) -> String { iso.string(from: Date(timeIntervalSince1970: Double(millis) / 1000)) }
        let consent = try consentEntries(localId: localId, owner: key.unit).sorted { ($0.topic.attribute, $0.author) < ($1.topic.attribute, $1.author) }
        let document: [String: Any] = [
            "format": "accord-subject-export/1",
            "subject": ["unit": key.unit.rawValue, "localId": key.localId],
            "federation": policy.federation, "policyVersion": policy.version,
            "exportedBy": unit.rawValue, "requestedAt": time(requested), "dueAt": time(due),
            "entries": view.attributes.filter { !$0.attribute.hasPrefix("consent:") }.map { entry -> [String: Any] in
                ["attribute": entry.attribute, "value": entry.value ?? NSNull(), "writtenBy": entry.author,
                 "writtenAt": time(Int64(entry.hlc.physicalMillis)), "clock": entry.hlc.description]
            },
            "consent": consent.map { entry -> [String: Any] in
                var item: [String: Any] = [
                    "channel": entry.topic.channel, "purpose": entry.topic.purpose, "scope": entry.topic.scope.description,
                    "decision": entry.decision.choice == .optIn ? "opt-in" : "opt-out", "expressed": entry.decision.expressed,
                    "decidedAt": time(entry.decision.decidedAtMillis), "method": entry.decision.method,
                    "noticeVersion": entry.decision.noticeVersion, "collectedBy": entry.decision.collectedBy.rawValue,
                ]
                if let frequency = entry.decision.frequency { item["frequency"] = frequency }
                if let expires = entry.decision.expiresAtMillis { item["expiresAt"] = time(expires) }
                if !entry.decision.noticeHash.isEmpty { item["noticeSHA256"] = entry.decision.noticeHash.map { String(format: "%02x", $0) }.joined() }
                return item
            },
        ]
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw NodeError(.storage, "cannot write the export", cause: error)
        }
        try audit("subject.export", subject: key.description, detail: "\(view.attributes.count) entries", dueAtMillis: due,
                  operatorName: operatorName)
        return data
    }
}
