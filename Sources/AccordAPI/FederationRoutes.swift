import AccordHTTP
import AccordLedger
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Synchronization

/// `GET /v1/whoami`, `/v1/status`, `/v1/digests`, `/v1/rejected`, `/v1/audit`.
enum FederationRoutes {
    /// Who the caller is and what it may do.
    static func whoami(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        var principal: [String: JSON]
        switch request.principal {
        case .token(let id, let name, let role):
            principal = ["kind": "token", "id": .string(id), "name": .string(name), "role": .string(role.rawValue)]
        case .unitSystem(let unit):
            principal = ["kind": "unitSystem", "unit": .string(unit)]
        }
        return .json([
            "unit": .string(request.services.unit.rawValue), "principal": .object(principal),
            "permissions": .array(request.principal.permissions.sorted().map { .string($0.rawValue) }),
        ])
    }

    /// The node and the federation as this node sees them: what `accord status` shows.
    static func status(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let (status, policy) = try request.read { node in (try node.status(), node.policy) }
        let peers = request.services.peers()
        let ours = Dictionary(status.streams.map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
        let peersByUnit = Dictionary(peers.map { ($0.unit, $0) }, uniquingKeysWith: { $1 })
        func peerJSON(_ peer: PeerStatus) -> JSON {
            let theirs = Dictionary(peer.vector.map { ($0.stream.description, $0.sequence) }, uniquingKeysWith: max)
            var object: [String: JSON] = [
                "unit": .string(peer.unit), "connected": .bool(peer.connected),
                "lastContact": peer.lastContactMillis == 0 ? .null : .string(Timestamp.iso(millis: Int64(peer.lastContactMillis))),
                "policyVersion": peer.policyVersion.map { .int($0) } ?? .null,
                "lag": .array(StreamLag.between(ours: ours, theirs: theirs).map {
                    ["stream": .string($0.stream), "peerLacks": .int($0.peerLacks), "weLack": .int($0.weLack)]
                }),
            ]
            if let error = peer.lastError, !peer.connected { object["lastError"] = .string(error) }
            return .object(object)
        }
        return .json([
            "unit": .string(status.unit), "federation": .string(status.federation), "policyVersion": .int(status.policyVersion),
            "clock": .string(status.clock.description), "databaseBytes": .int(status.databaseBytes),
            "counts": [
                "records": .int(status.counts.records), "recordStates": .int(status.counts.recordStates), "batches": .int(status.counts.batches),
                "leaves": .int(status.counts.leaves), "rejectedBatches": .int(status.counts.rejectedBatches),
            ],
            "streams": .array(status.streams.map { ["stream": .string($0.stream), "sequence": .int($0.sequence)] }),
            "members": .array(policy.units.map { unit in
                [
                    "unit": .string(unit.id), "name": .string(unit.name), "roles": .array(unit.roles.map(\.rawValue).sorted().map { .string($0) }),
                    "lineOfBusiness": .string(unit.lineOfBusiness), "signingKey": .bool(unit.signingKey != nil),
                    "self": .bool(unit.id == status.unit), "peer": .bool(peersByUnit[unit.id] != nil),
                ]
            }),
            "peers": .array(peers.map(peerJSON)),
            "purged": .array(status.purged.map {
                ["shareClass": .string($0.shareClass), "policyVersion": .int($0.policyVersion), "at": .string(Timestamp.iso(millis: $0.atMillis))]
            }),
        ])
    }

    /// Whether a digest is being computed: it reads every entry (seconds for a million records),
    /// so one runs at a time and a second request is told to retry rather than hold another reader.
    private static let digesting = Atomic<Bool>(false)

    /// Per share class, the digest of the entries the node holds.
    static func digests(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        guard !digesting.exchange(true, ordering: .acquiringAndReleasing) else {
            throw HTTPError(.serviceUnavailable, "a digest is being computed already (it reads every entry); retry when it is done")
        }
        defer { digesting.store(false, ordering: .releasing) }
        let digests = try request.read { try $0.digests() }
        return .json(["digests": .object(digests.mapValues { .string($0) })])
    }

    /// Batches the node refused, newest first, with their reasons: `?limit=`.
    static func rejected(_ request: APIRequest) throws -> HTTPResponse {
        let limit = try request.query(allowing: ["limit"]).integer("limit", default: 50, range: 1...1000)
        let rejected = try request.read { try $0.store.rejectedBatches(limit: limit) }
        return .json(["rejected": .array(rejected.map { batch in
            [
                "stream": batch.stream.map { .string($0.description) } ?? .null, "sequence": batch.sequence.map { .int($0) } ?? .null,
                "reason": .string(batch.reason), "at": .string(Timestamp.iso(millis: batch.rejectedAtMillis)),
            ]
        })])
    }

    /// The audit log, newest first: `?action=&limit=`.
    static func audit(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["action", "limit"])
        let limit = try query.integer("limit", default: 100, range: 1...1000)
        let action = try query.value("action")
        let entries = try request.read { try $0.store.auditEntries(action: action, limit: limit) }
        return .json(["entries": .array(entries.map { entry in
            [
                "at": .string(Timestamp.iso(millis: entry.atMillis)), "unit": .string(entry.unit), "operator": .string(entry.operatorName),
                "action": .string(entry.action), "subject": .string(entry.subject), "detail": .string(entry.detail),
                "dueAt": entry.dueAtMillis.map { .string(Timestamp.iso(millis: $0)) } ?? .null,
            ]
        })])
    }
}
