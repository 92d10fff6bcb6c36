public import AccordModel

/// A profile's identifier: derived from the key of the cluster's anchor record (its earliest-created
/// record, ties broken by record key), so every node computes the same id from the same entries in
/// any arrival order; written `p` followed by 32 hexadecimal digits.
public struct ProfileID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 128 bits of the id.
    public let high: UInt64
    /// See ``high``.
    public let low: UInt64

    /// The id of a cluster anchored on `anchor`: two independent 64-bit stable hashes of
    /// `unit 0x00 localId`.
    public init(anchor: RecordKey) {
        var bytes = Array(anchor.unit.rawValue.utf8)
        bytes.append(0)
        bytes.append(contentsOf: anchor.localId.utf8)
        (high, low) = bytes.withUnsafeBufferPointer {
            (StableHash.bytes($0, seed: 0x243F_6A88_85A3_08D3), StableHash.bytes($0, seed: 0x1319_8A2E_0370_7344))
        }
    }

    /// Parses `p` followed by 32 hexadecimal digits (lower or upper case).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 33, bytes[0] == UInt8(ascii: "p"),
            let high = UInt64(String(decoding: bytes[1..<17], as: UTF8.self), radix: 16),
            let low = UInt64(String(decoding: bytes[17...], as: UTF8.self), radix: 16)
        else { return nil }
        self.high = high
        self.low = low
    }

    /// `p` and 32 lower-case hexadecimal digits.
    public var description: String {
        func hex(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "p" + hex(high) + hex(low)
    }

    /// Numeric order.
    public static func < (lhs: ProfileID, rhs: ProfileID) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// A profile: the records judged to be one person.
public struct Profile: Sendable, Equatable {
    /// Its id.
    public let id: ProfileID
    /// The anchor record: earliest created, ties by key; the id derives from it.
    public let anchor: RecordKey
    /// Its records, in key order.
    public let records: [RecordKey]

    /// Creates a profile.
    public init(id: ProfileID, anchor: RecordKey, records: [RecordKey]) {
        self.id = id
        self.anchor = anchor
        self.records = records
    }
}

/// What one change did to the profiles.
public struct ResolutionDelta: Sendable, Equatable {
    /// Profiles that no longer exist (merged into another, or their anchor left), by id.
    public var removed: [ProfileID]
    /// Profiles that are new or whose records changed, by id.
    public var changed: [Profile]

    /// Creates a delta.
    public init(removed: [ProfileID] = [], changed: [Profile] = []) {
        self.removed = removed
        self.changed = changed
    }

    /// Whether nothing changed.
    public var isEmpty: Bool { removed.isEmpty && changed.isEmpty }
}

/// A data steward's decision about two records.
public struct StewardDecision: Sendable, Hashable {
    /// What the steward decided.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The records are the same person: they share a profile whatever the score (unless a
        /// cannot-link keeps their clusters apart).
        case mustLink
        /// The records are different people: they never share a profile, nor do clusters containing them.
        case cannotLink
    }

    /// The record that sorts first.
    public let first: RecordKey
    /// The other record.
    public let second: RecordKey
    /// The decision.
    public let kind: Kind
    /// When it was decided (orders must-links when some of them have to give way to a cannot-link).
    public let decided: HLC

    /// Creates a decision about two different records (given in any order).
    public init(_ a: RecordKey, _ b: RecordKey, _ kind: Kind, decided: HLC) {
        precondition(a != b, "a steward decision is about two different records")
        (first, second) = a < b ? (a, b) : (b, a)
        self.kind = kind
        self.decided = decided
    }
}

/// A pair for the steward review queue.
public struct ReviewPair: Sendable, Equatable {
    /// The record that sorts first.
    public let first: RecordKey
    /// The other record.
    public let second: RecordKey
    /// The pair's score in bits.
    public let score: Double
    /// The profiles they are in now.
    public let profiles: (ProfileID, ProfileID)

    /// Creates a review pair.
    public init(first: RecordKey, second: RecordKey, score: Double, profiles: (ProfileID, ProfileID)) {
        self.first = first
        self.second = second
        self.score = score
        self.profiles = profiles
    }

    /// Field-wise equality.
    public static func == (lhs: ReviewPair, rhs: ReviewPair) -> Bool {
        lhs.first == rhs.first && lhs.second == rhs.second && lhs.score == rhs.score && lhs.profiles == rhs.profiles
    }
}

/// A change to the resolver's records.
public enum RecordChange: Sendable {
    /// Add a record, or replace the values of one with the same key.
    case upsert(IdentityRecord)
    /// Remove a record (erasure, or the record left the node's view).
    case remove(RecordKey)
}
