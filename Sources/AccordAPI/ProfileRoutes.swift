import AccordHTTP
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation

/// `GET /v1/profiles`, `GET /v1/profiles/{id}`, `GET /v1/review`, `POST /v1/review/{pair}/accept|reject`.
/// Profiles are read as stored: the serving node's ``AccordNode/ProfileService`` keeps them current.
enum ProfileRoutes {
    /// A profile by id: its document (records, golden values with rule and lineage) and, when the
    /// policy has a lifecycle, `"lifecycle"`: the stage as of now for this unit, with the rule and
    /// the entry that decided it (``AccordNode/LifecycleJSON``).
    static func read(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let id = request.parameters["id"]
        guard id.utf8.count == 33, id.hasPrefix("p"), id.dropFirst().allSatisfy(\.isHexDigit) else {
            throw HTTPError(.badRequest, "path: a profile id is p followed by 32 hexadecimal digits")
        }
        let unit = request.services.unit
        let found = try request.read { node -> [UInt8]? in
            guard let body = try node.profileDocument(.id(id), refresh: false) else { return nil }
            guard node.policy.lifecycle != nil, body.last == UInt8(ascii: "}"),
                  let assignment = try node.profileFacts(body: body, unit: unit, includeConsent: false).flatMap({ node.lifecycle(of: $0) })
            else { return body }
            // The stored document, byte for byte, with the stage appended as its last member.
            return Array(body.dropLast()) + Array(#","lifecycle":"#.utf8) + LifecycleJSON.bytes(assignment) + [UInt8(ascii: "}")]
        }
        guard let found else { throw HTTPError(.notFound, "no profile \(id.lowercased()) on this node") }
        return .json(serialized: found)
    }

    /// Profiles holding an e-mail address, a phone number, every word of a name, or one record:
    /// `?email=&phone=&name=&record=owner/id&limit=`; every criterion given must match.
    static func search(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["email", "phone", "name", "record", "limit"])
        let limit = try query.integer("limit", default: 100, range: 1...1000)
        let (email, phone, name, record) = (try query.value("email"), try query.value("phone"), try query.value("name"), try query.value("record"))
        guard email != nil || phone != nil || name != nil || record != nil else {
            throw HTTPError(.badRequest, "query: give email, phone, name or record")
        }
        let recordKey = try record.map { text -> RecordKey in
            guard let key = RecordKey(described: text) else {
                throw HTTPError(.badRequest, "query parameter \"record\" must be a record key owner/localId")
            }
            return key
        }
        let bodies: [[UInt8]] = try request.read { node in
            var ids: [String]?
            if email != nil || phone != nil || name != nil {
                ids = try node.searchProfiles(email: email, phone: phone, name: name, limit: limit, refresh: false)
            }
            var found = try (ids ?? []).compactMap { try node.profileDocument(.id($0), refresh: false) }
            if let recordKey {
                let own = try node.profileDocument(.record(recordKey), refresh: false)
                found = ids == nil ? (own.map { [$0] } ?? []) : found.filter { $0 == own }
            }
            return found
        }
        var output = Array(#"{"profiles":["#.utf8)
        for (index, body) in bodies.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output += body
        }
        output += Array("]}".utf8)
        return .json(serialized: output)
    }

    /// The review queue, best score first: `?limit=`, or the pairs of one profile: `?profile=`.
    static func reviewList(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["limit", "profile"])
        let limit = try query.integer("limit", default: 100, range: 1...1000)
        let profile = try query.value("profile")
        let pairs = try request.read { node in
            try profile.map { Array(try node.reviewPairs(ofProfile: $0, refresh: false).prefix(limit)) } ?? node.reviewQueue(limit: limit, refresh: false)
        }
        return .json(["pairs": .array(pairs.map(json))])
    }

    /// Accepts a review pair: a must-link.
    static func accept(_ request: APIRequest) throws -> HTTPResponse { try decide(request, .mustLink) }

    /// Rejects a review pair: a cannot-link.
    static func reject(_ request: APIRequest) throws -> HTTPResponse { try decide(request, .cannotLink) }

    /// Writes the steward decision entry about a review pair (its id) or two records (`owner/id,owner/id`,
    /// the slashes percent-encoded); the body, optional, is `{"reason": "..."}`.
    private static func decide(_ request: APIRequest, _ kind: StewardDecisionEntry.Kind) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        var reason = ""
        if !request.http.body.isEmpty {
            let body = try request.body()
            try body.allowOnly(["reason"])
            reason = try body.optionalString("reason") ?? ""
        }
        let pair = request.parameters["pair"]
        let isID = pair.utf8.count == 33 && pair.hasPrefix("m") && pair.dropFirst().allSatisfy(\.isHexDigit)
        let records = pair.split(separator: ",", omittingEmptySubsequences: false).map { RecordKey(described: String($0)) }
        guard isID || (records.count == 2 && records.allSatisfy { $0 != nil }) else {
            throw HTTPError(.badRequest, "path: a pair is an id from GET /v1/review (m followed by 32 hexadecimal digits) or two records owner%2Fid,owner%2Fid")
        }
        let entry = try request.write { node in
            try node.decide(pair: pair, kind: kind, steward: request.principal.operatorName, reason: reason, refresh: false)
        }
        return .json([
            "pair": .string(StewardDecisionEntry.pairID(entry.first, entry.second)), "decision": .string(kind.rawValue),
            "first": .string(entry.first.description), "second": .string(entry.second.description),
        ])
    }

    private static func json(_ pair: StoredReviewPair) -> JSON {
        ["id": .string(pair.id), "score": .double(pair.score), "first": .string(pair.first.description), "second": .string(pair.second.description),
         "firstProfile": .string(pair.firstProfile), "secondProfile": .string(pair.secondProfile)]
    }
}
