public import AccordPolicy
import Foundation

/// Adding a unit to a running federation (the pilot's step): the governance node drafts the next
/// policy version with the new member, the new unit's node is created from that draft (its own
/// signing key), its key goes into the draft, and governance signs and publishes it. The new node
/// starts from the signed version; the running nodes receive it through sync.
public enum UnitAddition {
    /// The new member.
    public struct Member: Sendable {
        /// Its unit id.
        public var id: String
        /// Display name (the id when `nil`).
        public var name: String?
        /// Line of business.
        public var lineOfBusiness: String?
        /// ISO country.
        public var country: String?
        /// Its sync endpoint, `host:port`.
        public var endpoint: String?
        /// The share classes with a listed audience it is to receive (classes with audience `all` include it anyway).
        public var receives: [String]
        /// Whether it may request erasures.
        public var requester: Bool

        /// Creates a member description.
        public init(id: String, name: String? = nil, lineOfBusiness: String? = nil, country: String? = nil, endpoint: String? = nil,
                    receives: [String] = [], requester: Bool = false) {
            self.id = id
            self.name = name
            self.lineOfBusiness = lineOfBusiness
            self.country = country
            self.endpoint = endpoint
            self.receives = receives
            self.requester = requester
        }
    }

    /// The next version of a policy document with `member` added (role `unit`), in the audiences
    /// it is to receive, without a signature. A member the policy already lists without a signing
    /// key (planned, not set up yet) is completed instead.
    /// - Throws: ``NodeError`` `.invalidPolicy` naming what is wrong (an unknown class, an existing
    ///   member, or, from the policy parser, the JSON path of an invalid field).
    public static func draft(adding member: Member, signingKey: String?, to text: [UInt8]) throws -> [UInt8] {
        guard var policy = (try? JSONSerialization.jsonObject(with: Data(text))) as? [String: Any],
              var units = policy["units"] as? [[String: Any]], var classes = policy["shareClasses"] as? [[String: Any]],
              let version = policy["version"] as? Int else {
            throw NodeError(.invalidPolicy, "the policy is not a JSON object with units, shareClasses and a version")
        }
        // A member listed without a signing key (planned, never set up) is completed; one with a key already runs.
        let existing = units.firstIndex { $0["id"] as? String == member.id }
        if let existing, units[existing]["signingKey"] != nil {
            throw NodeError(.invalidPolicy, "unit \"\(member.id)\" is already a member with a signing key")
        }
        var unit: [String: Any] = existing.map { units[$0] } ?? ["id": member.id, "name": member.name ?? member.id, "roles": ["unit"]]
        if let name = member.name { unit["name"] = name }
        if let line = member.lineOfBusiness { unit["lineOfBusiness"] = line }
        if let country = member.country { unit["country"] = country }
        if let endpoint = member.endpoint { unit["endpoint"] = endpoint }
        if let signingKey { unit["signingKey"] = signingKey }
        if let existing { units[existing] = unit } else { units.append(unit) }
        for name in member.receives {
            guard let index = classes.firstIndex(where: { $0["name"] as? String == name }) else {
                throw NodeError(.invalidPolicy, "unknown share class \"\(name)\"")
            }
            if var audience = classes[index]["audience"] as? [String], !audience.contains(member.id) {
                audience.append(member.id)
                classes[index]["audience"] = audience
            }
        }
        policy["units"] = units
        policy["shareClasses"] = classes
        policy["version"] = version + 1
        policy.removeValue(forKey: "signature")
        if member.requester, var erasure = policy["erasure"] as? [String: Any], var requesters = erasure["requesters"] as? [String],
           !requesters.contains(member.id) {
            requesters.append(member.id)
            erasure["requesters"] = requesters
            policy["erasure"] = erasure
        }
        let data = [UInt8](try JSONSerialization.data(withJSONObject: policy, options: [.prettyPrinted, .sortedKeys]))
        do {
            _ = try Policy.parse(data, source: "the next policy version")
        } catch {
            throw NodeError(.invalidPolicy, "the next policy version is not valid", cause: error)
        }
        return data
    }

    /// Adds a member: drafts the next version from the governance node's policy, creates the new
    /// node from it in `newNode` (with its own signing key), puts its key in, signs and publishes
    /// the version on the governance node, and gives the new node the signed version as its
    /// starting policy (its trust anchor).
    /// - Returns: the signed document and the published policy.
    /// - Throws: ``NodeError``; nothing is published when drafting or creating the node fails, and the
    ///   new node is removed again when publishing fails.
    public static func add(_ member: Member, governance: String, newNode: String) throws -> (document: [UInt8], policy: Policy) {
        let held = try Node(directory: governance).policyDocument()
        let node = try Node.initialize(directory: newNode, unit: member.id, policyText: try draft(adding: member, signingKey: nil, to: held))
        let published: (document: [UInt8], policy: Policy)
        do {
            published = try Node.publishPolicy(try draft(adding: member, signingKey: node.publicKeyBase64, to: held), directory: governance)
        } catch {
            try? FileManager.default.removeItem(atPath: newNode)  // made just now: nothing refers to it
            throw error
        }
        do {
            try Data(published.document).write(to: URL(fileURLWithPath: Node.resolve(node.config.policy, in: newNode)), options: .atomic)
        } catch {
            throw NodeError(.storage, "cannot write the new node's policy", cause: error)
        }
        return published
    }
}
