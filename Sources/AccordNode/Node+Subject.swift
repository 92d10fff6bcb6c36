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

    /// An access request (DSAR) for one record: ``exportSubject(_:operatorName:refreshProfiles:)``
    /// for `.record(owner/localId)` (the record, the records sharing its email or phone, and every
    /// record of its profile).
    /// - Throws: ``NodeError`` `.notFound` when the node holds nothing on the record.
    public func exportSubject(localId: String, owner: UnitID? = nil, operatorName: String = Node.operatorName) throws -> Data {
        try exportSubject([.record(RecordKey(unchecked: owner ?? unit, localId: localId))], operatorName: operatorName)
    }

    /// An access request (DSAR): everything this node holds on a person, from every unit it may see,
    /// as JSON with lineage (which record, which unit wrote each value, when). The person's records
    /// are those given, those holding one of the given (or the given records') emails and phone
    /// numbers, and every record consolidated into the same profile as one of those (each record
    /// says how it was found); the profiles' documents (golden values with lineage) are included.
    /// The request is recorded in the audit log with a due date one month out, naming the records
    /// (pseudonymous keys), never an email or phone number.
    /// - Parameters:
    ///   - subjects: the person's records, emails and phone numbers.
    ///   - operatorName: who asked, for the audit log.
    ///   - refreshProfiles: bring the profiles up to date first (`false` on a serving node's read
    ///     connection, whose ``ProfileService`` keeps them current).
    /// - Returns: the JSON document (`accord-subject-export/2`).
    /// - Throws: ``NodeError`` `.notFound` when the node holds nothing on the person, `.notAllowed`
    ///   for an invalid identifier or an erasure record, `.storage`.
    public func exportSubject(_ subjects: [ErasureSubject], operatorName: String = Node.operatorName,
                              refreshProfiles: Bool = true) throws -> Data {
        let person = try findPerson(subjects)
        var foundBy: [RecordKey: String] = [:]
        for case .record(let record) in subjects { foundBy[record] = "request" }
        for record in person.records where foundBy[record] == nil { foundBy[record] = "identifier" }
        if refreshProfiles { try self.refreshProfiles() }
        var profiles: [String: Any] = [:]
        for record in person.records.sorted() {
            guard let body = try profileDocument(.record(record), refresh: false),
                  let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  let id = document["id"] as? String, profiles[id] == nil else { continue }
            profiles[id] = document
            for member in document["records"] as? [String] ?? [] {
                guard let key = RecordKey(described: member), foundBy[key] == nil else { continue }
                foundBy[key] = "profile"
            }
        }
        var views: [RecordView] = []
        for key in foundBy.keys.sorted() {
            if let view = try record(localId: key.localId, owner: key.unit) { views.append(view) }
        }
        guard !views.isEmpty else {
            if subjects.count == 1, case .record(let key) = subjects[0] { throw NodeError(.notFound, "no record \(key) on this node") }
            throw NodeError(.notFound, "this node holds nothing on the person")
        }
        let requested = Int64(now())
        let due = requested + 30 * 24 * 3600 * 1000
        let document: [String: Any] = [
            "format": "accord-subject-export/2",
            "federation": policy.federation, "policyVersion": policy.version,
            "exportedBy": unit.rawValue, "requestedAt": Self.isoTime(requested), "dueAt": Self.isoTime(due),
            "records": views.map { view -> [String: Any] in
                ["record": view.key.description, "unit": view.key.unit.rawValue, "foundBy": foundBy[view.key] ?? "request"]
            },
            "profiles": profiles.keys.sorted().map { profiles[$0]! },
            "entries": views.flatMap { view in
                view.attributes.filter { !$0.attribute.hasPrefix("consent:") }.map { entry -> [String: Any] in
                    ["record": view.key.description, "attribute": entry.attribute, "value": entry.value ?? NSNull(),
                     "writtenBy": entry.author, "writtenAt": Self.isoTime(Int64(entry.hlc.physicalMillis)), "clock": entry.hlc.description]
                }
            },
            "consent": try views.flatMap { view in
                try consentEntries(localId: view.key.localId, owner: view.key.unit)
                    .sorted { ($0.topic.attribute, $0.author) < ($1.topic.attribute, $1.author) }
                    .map(Self.exportItem)
            },
        ]
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw NodeError(.storage, "cannot write the export", cause: error)
        }
        let first = views[0].key.description
        let entries = views.reduce(0) { $0 + $1.attributes.count }
        try audit("subject.export", subject: views.count == 1 ? first : "\(first) +\(views.count - 1) records",
                  detail: "\(views.count) records, \(entries) entries", dueAtMillis: due, operatorName: operatorName)
        return data
    }

    /// A consent entry as the export shows it.
    private static func exportItem(_ entry: ConsentEntry) -> [String: Any] {
        var item: [String: Any] = [
            "record": entry.record.description,
            "channel": entry.topic.channel, "purpose": entry.topic.purpose, "scope": entry.topic.scope.description,
            "decision": entry.decision.choice == .optIn ? "opt-in" : "opt-out", "expressed": entry.decision.expressed,
            "decidedAt": isoTime(entry.decision.decidedAtMillis), "method": entry.decision.method,
            "noticeVersion": entry.decision.noticeVersion, "collectedBy": entry.decision.collectedBy.rawValue,
        ]
        if let frequency = entry.decision.frequency { item["frequency"] = frequency }
        if let expires = entry.decision.expiresAtMillis { item["expiresAt"] = isoTime(expires) }
        if !entry.decision.noticeHash.isEmpty { item["noticeSHA256"] = entry.decision.noticeHash.map { String(format: "%02x", $0) }.joined() }
        return item
    }
}
