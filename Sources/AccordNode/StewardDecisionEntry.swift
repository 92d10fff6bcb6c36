public import AccordModel
import AccordConsolidation
public import AccordPolicy
import Foundation

/// A steward's must-link, cannot-link or withdrawal as a replicated entry.
///
/// The entry is `steward:decision` on the record `<steward unit>/steward:<pair id>` (one record per
/// pair and steward unit, so a later decision of the same unit about the same pair replaces the
/// earlier one, last writer wins); its value is a small JSON text naming the two records, the kind,
/// the steward (an operator name, never customer data) and the reason. It travels in the policy's
/// `identityResolution.stewardship.shareClass`, whose audience is every member, and only the units
/// listed as `stewards` may write it. Among the decisions of several steward units about one pair,
/// the latest (clock reading, then unit) is in force.
public struct StewardDecisionEntry: Sendable, Equatable {
    /// What the steward decided.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The records are one person.
        case mustLink
        /// The records are different people.
        case cannotLink
        /// The earlier decision about the pair no longer holds: scores decide again.
        case withdrawn
    }

    /// The attribute of a decision's register.
    public static let attribute = AttributeName(unchecked: "steward:decision")
    /// The prefix of the local ids of decision records.
    public static let localIdPrefix = "steward:"

    /// The record that sorts first.
    public let first: RecordKey
    /// The other record.
    public let second: RecordKey
    /// The decision.
    public let kind: Kind
    /// Who decided (an operator name).
    public let steward: String
    /// Why (a ticket or a short note; never customer data).
    public let reason: String

    /// Creates a decision about two different records, given in any order.
    public init(_ a: RecordKey, _ b: RecordKey, kind: Kind, steward: String, reason: String) {
        (first, second) = a < b ? (a, b) : (b, a)
        self.kind = kind
        self.steward = steward
        self.reason = reason
    }

    /// The pair's id: `m` and 32 hexadecimal digits, a stable hash of the two record keys (the same
    /// on every node, in either order).
    public static func pairID(_ a: RecordKey, _ b: RecordKey) -> String {
        let (x, y) = a < b ? (a, b) : (b, a)
        var bytes = Array(x.unit.rawValue.utf8) + [0] + Array(x.localId.utf8) + [1]
        bytes += Array(y.unit.rawValue.utf8) + [0] + Array(y.localId.utf8)
        func fnv(_ seed: UInt64) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            let digits = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "m" + fnv(0) + fnv(0x9E37_79B9_7F4A_7C15)
    }

    /// The record the decision of `steward` (a unit) about this pair lives on.
    public func record(of unit: UnitID) -> RecordKey {
        RecordKey(unchecked: unit, localId: Self.localIdPrefix + Self.pairID(first, second))
    }

    /// Whether a local id is a decision record's.
    public static func isDecisionRecord(_ localId: String) -> Bool { localId.hasPrefix(localIdPrefix) }

    private struct Wire: Codable {
        var first: String
        var second: String
        var kind: Kind
        var steward: String
        var reason: String
    }

    /// The entry's text: JSON with sorted keys.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let wire = Wire(first: first.description, second: second.description, kind: kind, steward: steward, reason: reason)
        // Strings and an enum only: encoding cannot fail.
        return String(decoding: (try? encoder.encode(wire)) ?? Data(), as: UTF8.self)
    }

    /// Parses an entry's text; `nil` when it is not a decision about two different, valid records.
    public init?(text: String) {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(text.utf8)),
              let first = RecordKey(described: wire.first), let second = RecordKey(described: wire.second), first < second,
              !wire.steward.isEmpty, wire.steward.utf8.count <= 128, wire.reason.utf8.count <= 1024
        else { return nil }
        self.init(first, second, kind: wire.kind, steward: wire.steward, reason: wire.reason)
    }

    /// Why an entry on a decision record must be refused, or `nil`: the policy has a stewardship
    /// section, the entry is in its class, its author is a steward writing on its own decision
    /// record, the attribute is `steward:decision`, the value is a decision (or a deletion) whose
    /// pair the record's id names.
    public static func refusal(attribute: AttributeName, value: Value?, record: RecordKey, author: String, shareClass: String,
                               policy: Policy) -> String? {
        guard let stewardship = policy.identityResolution?.stewardship else {
            return "policy v\(policy.version) has no identityResolution.stewardship section"
        }
        guard shareClass == stewardship.shareClass else {
            return "steward decisions belong to class \"\(stewardship.shareClass)\", not \"\(shareClass)\""
        }
        if case .denied(let reason) = policy.mayDecideMatches(unit: author) { return reason }
        guard record.unit.rawValue == author, isDecisionRecord(record.localId) else {
            return "unit \"\(author)\" may write steward decisions only on its own steward:<pair> records"
        }
        guard attribute == Self.attribute else { return "unknown steward attribute \"\(attribute)\"" }
        guard let value else { return nil }
        guard case .text(let text) = value, let decision = StewardDecisionEntry(text: text) else {
            return "a steward decision entry must hold a decision about two different records"
        }
        guard record.localId == localIdPrefix + pairID(decision.first, decision.second) else {
            return "the decision's record does not name its pair"
        }
        return nil
    }
}
