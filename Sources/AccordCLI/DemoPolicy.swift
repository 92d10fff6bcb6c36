import AccordNode
import Foundation

/// The sample policy cut down to the units a demo runs, so that "every member" (erasure
/// acknowledgements, audiences) means every running node.
enum DemoPolicy {
    /// The sample policy with only `units` as members: other units leave `units`, every list of
    /// unit ids (audiences, requesters, stewards) and every write rule they take part in.
    static func restricted(to units: Set<String>) throws -> [UInt8] {
        guard var policy = (try? JSONSerialization.jsonObject(with: Data(SamplePolicy.text.utf8))) as? [String: Any],
              let members = policy["units"] as? [[String: Any]] else {
            throw NodeError(.invalidPolicy, "the built-in sample policy is not a JSON object with units")
        }
        let all = Set(members.compactMap { $0["id"] as? String })
        let removed = all.subtracting(units)
        policy["units"] = members.filter { units.contains($0["id"] as? String ?? "") }
        if let rules = policy["writeRules"] as? [[String: Any]] {
            policy["writeRules"] = rules.filter { !removed.contains($0["writer"] as? String ?? "") }
        }
        let cut = prune(policy, removed: removed, all: all)
        return [UInt8](try JSONSerialization.data(withJSONObject: cut, options: [.prettyPrinted, .sortedKeys]))
    }

    /// Drops removed unit ids from every array of unit ids, recursively.
    private static func prune(_ value: Any, removed: Set<String>, all: Set<String>) -> Any {
        if let object = value as? [String: Any] {
            return object.mapValues { prune($0, removed: removed, all: all) }
        }
        if let strings = value as? [String], !strings.isEmpty, strings.allSatisfy(all.contains) {
            return strings.filter { !removed.contains($0) }
        }
        if let array = value as? [Any] {
            return array.map { prune($0, removed: removed, all: all) }
        }
        return value
    }
}
