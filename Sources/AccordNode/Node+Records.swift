public import AccordModel
import AccordPolicy
import AccordImport
import AccordCrypto
import AccordLedger
public import AccordStore
import Foundation

/// One attribute value of a record as a node holds it, with where it came from.
public struct AttributeView: Sendable, Equatable {
    /// The attribute.
    public var attribute: String
    /// The value as text: a scalar, or a set joined with `|`; `nil` for a deletion.
    public var value: String?
    /// The unit that wrote it.
    public var author: String
    /// When it was written (the author's clock).
    public var hlc: HLC
}

/// A record as a node holds it: every author's entries on it.
public struct RecordView: Sendable, Equatable {
    /// The record.
    public var key: RecordKey
    /// The entries, sorted by attribute then author.
    public var attributes: [AttributeView]
}

/// A summary of a node: who it is, what it holds, where its streams stand.
public struct NodeStatus: Sendable {
    /// The unit.
    public var unit: String
    /// The federation and policy version.
    public var federation: String
    /// The policy version the node holds.
    public var policyVersion: Int
    /// What the store holds.
    public var counts: StoreCounts
    /// Every stream head (the version vector).
    public var streams: [(stream: String, sequence: UInt64)]
    /// The clock's last reading.
    public var clock: HLC
    /// Database size on disk, bytes.
    public var databaseBytes: Int64
    /// Share classes purged because a policy removed this unit from their audience.
    public var purged: [PurgedClass]
}

extension Node {
    /// Writes attribute values on one of this unit's records, as one record write.
    /// - Parameters:
    ///   - localId: the unit's id for the customer.
    ///   - values: attribute name to value (`nil` deletes); every attribute must be in the policy and authorable by this unit.
    /// - Returns: what was committed.
    /// - Throws: ``NodeError`` `.notAllowed` for an attribute the unit may not author or that the policy does not know.
    @discardableResult
    public func write(localId: String, values: [String: Value?]) throws -> LocalCommit {
        let record: RecordKey
        do {
            record = try RecordKey(unit: unit, localId: localId)
        } catch {
            throw NodeError(.notAllowed, "local id is not valid", cause: error)
        }
        try refuseIfErased(record)
        var changes: [(attribute: AttributeName, value: Value?)] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard policy.attribute(name) != nil else {
                throw NodeError(.notAllowed, "attribute \"\(name)\" is not in the policy's catalog")
            }
            if case .denied(let reason) = policy.mayAuthor(unit: unit.rawValue, attribute: name) {
                throw NodeError(.notAllowed, reason)
            }
            changes.append((attribute: AttributeName(unchecked: name), value: value))
        }
        do {
            return try store.commitLocal([PendingWrite(record: record, changes: changes)], shareClass: shareClass(of:),
                                         policyVersion: UInt64(policy.version), key: signingKey, now: now())
        } catch {
            throw NodeError(.storage, "cannot write \(record)", cause: error)
        }
    }

    /// A record with every author's entries, or `nil` when the node holds nothing on it.
    /// - Parameters:
    ///   - localId: the owner's id for the customer.
    ///   - owner: the owning unit; this node's unit when `nil`.
    public func record(localId: String, owner: UnitID? = nil) throws -> RecordView? {
        let key = RecordKey(unchecked: owner ?? unit, localId: localId)
        let states: [UnitID: RecordState]
        do {
            states = try store.recordStates(key)
        } catch {
            throw NodeError(.storage, "cannot read \(key)", cause: error)
        }
        guard !states.isEmpty else { return nil }
        var attributes: [AttributeView] = []
        for (author, state) in states {
            for item in state.sortedRegisters {
                attributes.append(AttributeView(attribute: item.attribute.rawValue, value: item.register.value.map(Self.text(of:)),
                                                author: author.rawValue, hlc: item.register.hlc))
            }
        }
        attributes.sort { ($0.attribute, $0.author) < ($1.attribute, $1.author) }
        return RecordView(key: key, attributes: attributes)
    }

    /// Record keys in order, optionally only one owner's, after a key, at most `limit`.
    public func recordKeys(owner: UnitID? = nil, after: RecordKey? = nil, limit: Int = 100) throws -> [RecordKey] {
        do {
            return try store.recordKeys(unit: owner, after: after, limit: limit)
        } catch {
            throw NodeError(.storage, "cannot list records", cause: error)
        }
    }

    /// The node's status.
    public func status() throws -> NodeStatus {
        do {
            return NodeStatus(
                unit: unit.rawValue, federation: policy.federation, policyVersion: policy.version, counts: try store.counts(),
                streams: try store.streamHeads().map { (stream: $0.stream.description, sequence: $0.sequence) },
                clock: store.clock.last, databaseBytes: store.fileSize(), purged: try store.purgedClasses())
        } catch {
            throw NodeError(.storage, "cannot read the status", cause: error)
        }
    }

    /// A value as display text.
    static func text(of value: Value) -> String {
        switch value {
        case .text(let text): return text
        case .set(let items): return items.joined(separator: "|")
        case .consent(let decision):
            return "\(decision.choice == .optIn ? "opt-in" : "opt-out") via \(decision.collectedBy) at \(decision.decidedAtMillis)"
        case .interaction(let event):
            return "\(event.type) on \(event.channel) at \(event.atMillis)"
        case .erasureRequest(let request):
            return "erasure request for \(request.records.count) records, \(request.identifierHashes.count) identifiers at \(request.requestedAtMillis)"
        case .erasureAcknowledgement(let acknowledgement):
            return "erased \(acknowledgement.records.count) records at \(acknowledgement.erasedAtMillis)"
        }
    }
}

extension Node {
    /// Normalizes and validates one attribute value as an import would; an empty text means a deletion.
    /// - Returns: the value, or `nil` for a deletion.
    /// - Throws: ``NodeError`` `.notAllowed` naming the attribute and the reason (never the value).
    public func normalize(_ text: String, attribute: String, multiValued: Bool) throws -> Value? {
        guard let rule = fieldRules().first(where: { $0.name == attribute }) else {
            throw NodeError(.notAllowed, "unit \(unit) may not write attribute \"\(attribute)\"")
        }
        let parts = multiValued ? text.split(separator: "|").map(String.init) : [text]
        var normalized: [String] = []
        for part in parts where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Normalizer.normalize(part, as: rule, settings: normalizationSettings()) {
            case .success(let value): normalized.append(value)
            case .failure(let problem): throw NodeError(.notAllowed, "attribute \"\(attribute)\": \(problem.reason)")
            }
        }
        if normalized.isEmpty { return nil }
        return multiValued ? Value.makeSet(normalized) : .text(normalized[0])
    }
}

extension Node {
    /// The digest of the node's entries per share class, as hex: nodes holding the same entries of
    /// a class report the same digest for it.
    public func digests() throws -> [String: String] {
        do {
            return try store.classDigests(classOf: shareClass(of:)).mapValues(\.hex)
        } catch {
            throw NodeError(.storage, "cannot compute the digests", cause: error)
        }
    }

    /// Changes `node.json` in a node directory: reads it, applies `change`, writes it back atomically.
    /// - Throws: ``NodeError`` `.notANode` or `.invalidConfig`, or what `change` throws.
    public static func updateConfig(directory: String, _ change: (inout NodeConfig) throws -> Void) throws {
        let path = (directory as NSString).appendingPathComponent("node.json")
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.notANode, "\(directory) is not an Accord node (no node.json); create one with `accord init`")
        }
        var config = try NodeConfig.load(contentsOf: path)
        try change(&config)
        do {
            try config.jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NodeError(.storage, "cannot write \(path)", cause: error)
        }
    }
}
