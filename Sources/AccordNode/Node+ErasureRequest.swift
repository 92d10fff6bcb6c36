public import AccordModel
import AccordPolicy
import AccordImport
import AccordCrypto
import AccordStore
import Foundation

/// A person as a requester names them for an erasure or an access request: by a record, an email
/// or a phone number.
public enum ErasureSubject: Sendable, Equatable {
    /// A record (`unit/localId`).
    case record(RecordKey)
    /// An email address, normalized as the catalog's email attributes are.
    case email(String)
    /// A phone number, normalized to E.164 as the catalog's phone attributes are.
    case phone(String)
}

/// What `accord erase` found and did.
public struct ErasureRequestReport: Sendable {
    /// The request, `requester/id`; `nil` for a dry run.
    public var request: String?
    /// The records the request names: the records given and those found here by the identifiers.
    public var records: [RecordKey]
    /// How many identifiers the request names (as salted hashes).
    public var identifiers: Int
    /// What this node's own erasure removed (nothing for a dry run).
    public var run: ErasureRun?
}

extension Node {
    /// Requests an erasure: finds the records of the person this node holds (the records given,
    /// and every record holding one of the given emails or phone numbers or one held on a given
    /// record, exact match after normalization), writes the request (records and salted hashes of
    /// the identifiers, never the identifiers themselves), and carries it out here at once. The
    /// request reaches every node through sync; each erases and acknowledges.
    /// - Parameters:
    ///   - subjects: the person's records, emails and phone numbers.
    ///   - reference: a ticket or legal reference for the proof (never personal data).
    ///   - dryRun: only report what the request would name.
    /// - Throws: ``NodeError`` `.notAllowed` when this unit may not request erasure or an identifier
    ///   is not valid, `.storage`.
    public func requestErasure(_ subjects: [ErasureSubject], reference: String = "", dryRun: Bool = false) throws -> ErasureRequestReport {
        if case .denied(let reason) = policy.mayRequestErasure(unit: unit.rawValue) { throw NodeError(.notAllowed, reason) }
        let person = try findPerson(subjects)
        let records = person.records, identifiers = person.identifiers
        guard !records.isEmpty || !identifiers.isEmpty else { throw NodeError(.notFound, "nothing names the person") }
        guard !dryRun else {
            return ErasureRequestReport(request: nil, records: records.sorted(), identifiers: identifiers.count, run: nil)
        }
        let request: ErasureRequest
        let id: String
        do {
            let salt = try SecureRandom.bytes(count: ErasureRequest.saltLength)
            id = try SecureRandom.bytes(count: 8).map { String(format: "%02x", $0) }.joined()
            request = try ErasureRequest(requestedAtMillis: Int64(now()), records: records, salt: salt,
                                         identifierHashes: identifiers.map { TombstoneSet.requestHash($0, salt: salt) }, reference: reference)
        } catch {
            throw NodeError(.storage, "cannot make the erasure request", cause: error)
        }
        let record = ErasureRequest.record(requester: unit, id: id)
        do {
            _ = try store.commitLocal([PendingWrite(record: record, changes: [(attribute: ErasureRequest.attribute, value: .erasureRequest(request))])],
                                      shareClass: shareClass(of:), policyVersion: UInt64(policy.version), key: signingKey, now: now())
        } catch {
            throw NodeError(.storage, "cannot write the erasure request", cause: error)
        }
        let name = "\(unit)/\(id)"
        try audit("erasure.request", subject: name, detail: "\(records.count) records, \(identifiers.count) identifiers (salted hashes)"
            + (reference.isEmpty ? "" : "; reference: \(reference)"))
        let run = try execute(request, on: record, knownIdentifiers: identifiers, searched: true)
        return ErasureRequestReport(request: name, records: records.sorted(), identifiers: identifiers.count, run: run)
    }

    /// The catalog's identifier attributes: those of type email or phone.
    var identifierAttributes: Set<String> {
        Set(policy.attributes.filter { $0.type == .email || $0.type == .phone }.map(\.name))
    }

    /// The records of a person this node holds, and the person's identifiers (normalized): the
    /// records given, and every record holding one of the given emails or phone numbers or one held
    /// on a given record (exact match after normalization; one step, not transitively).
    /// - Throws: ``NodeError`` `.notAllowed` for an erasure record or an invalid identifier, `.storage`.
    func findPerson(_ subjects: [ErasureSubject]) throws -> (records: Set<RecordKey>, identifiers: Set<String>) {
        var seeds = Set<RecordKey>()
        var identifiers = Set<String>()
        for subject in subjects {
            switch subject {
            case .record(let record):
                guard ErasureRequest.requestID(ofLocalId: record.localId) == nil else {
                    throw NodeError(.notAllowed, "\(record) is an erasure record, not a person's")
                }
                seeds.insert(record)
            case .email(let text): identifiers.insert(try normalizeIdentifier(text, type: .email))
            case .phone(let text): identifiers.insert(try normalizeIdentifier(text, type: .phone))
            }
        }
        do {
            // The identifiers held on the given records name the person too (one step, not transitively).
            if !seeds.isEmpty {
                try forEachIdentifier { record, value in if seeds.contains(record) { identifiers.insert(value) } }
            }
            var matched = Set<RecordKey>()
            if !identifiers.isEmpty {
                try forEachIdentifier { record, value in if identifiers.contains(value) { matched.insert(record) } }
            }
            return (seeds.union(matched), identifiers)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.storage, "cannot search the store for the person's records", cause: error)
        }
    }

    /// Visits every identifier value (email, phone) on a person's record this node holds, in the
    /// record states and in the stored batches (which may still hold earlier values).
    func forEachIdentifier(_ visit: (RecordKey, String) -> Void) throws {
        let names = identifierAttributes
        func values(_ value: Value?) -> [String] {
            switch value {
            case .text(let text)?: [text]
            case .set(let items)?: items
            default: []
            }
        }
        try store.forEachRecordState { record, _, state in
            guard ErasureRequest.requestID(ofLocalId: record.localId) == nil else { return }
            for entry in state.entries where names.contains(entry.attribute.rawValue) {
                for value in values(entry.register.value) { visit(record, value) }
            }
        }
        try store.forEachLeaf { _, write in
            guard ErasureRequest.requestID(ofLocalId: write.record.localId) == nil else { return }
            for change in write.changes where names.contains(change.attribute.rawValue) {
                for value in values(change.value) { visit(write.record, value) }
            }
        }
    }

    /// An email or phone number normalized as the catalog's first attribute of that type normalizes it.
    func normalizeIdentifier(_ text: String, type: AttributeType) throws -> String {
        guard let attribute = policy.attributes.first(where: { $0.type == type }), let fieldType = FieldType(rawValue: type.rawValue) else {
            throw NodeError(.notAllowed, "policy v\(policy.version) has no \(type.rawValue) attribute")
        }
        let rule = FieldRule(name: attribute.name, type: fieldType, maxLength: attribute.maxLength)
        switch Normalizer.normalize(text, as: rule, settings: normalizationSettings()) {
        case .success(let value) where !value.isEmpty: return value
        case .success: throw NodeError(.notAllowed, "the \(type.rawValue) is empty")
        case .failure(let problem): throw NodeError(.notAllowed, "the \(type.rawValue) is not valid: \(problem.reason)")
        }
    }
}
