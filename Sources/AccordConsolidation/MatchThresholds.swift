/// The two thresholds on a pair's score (bits of evidence, prior included).
public struct MatchThresholds: Codable, Sendable, Equatable {
    /// At or above: the records link automatically.
    public var link: Double
    /// At or above (and below ``link``): the pair goes to the steward review queue.
    public var review: Double

    /// Creates thresholds.
    public init(link: Double, review: Double) {
        self.link = link
        self.review = review
    }

    /// Link at 8 bits (posterior odds 256:1), review from 0 bits (even odds).
    public static let standard = MatchThresholds(link: 8, review: 0)
}
