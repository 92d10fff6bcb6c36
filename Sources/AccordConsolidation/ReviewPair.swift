public import AccordModel

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
