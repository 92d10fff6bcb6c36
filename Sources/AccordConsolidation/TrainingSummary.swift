/// How parameters were estimated.
public struct TrainingSummary: Codable, Sendable, Equatable {
    /// Records the node held.
    public var records: Int
    /// Candidate pairs whose comparisons trained `m` and the prior.
    public var pairs: Int
    /// Random pairs whose comparisons estimated `u`.
    public var randomPairs: Int
    /// EM's estimate of the share of matches among the candidate pairs.
    public var candidateMatchShare: Double
    /// Expectation-maximization iterations run.
    public var iterations: Int
    /// Whether EM converged (largest change below the tolerance) before its iteration limit.
    public var converged: Bool

    /// Creates a summary.
    public init(records: Int, pairs: Int, randomPairs: Int, candidateMatchShare: Double, iterations: Int, converged: Bool) {
        self.records = records
        self.pairs = pairs
        self.randomPairs = randomPairs
        self.candidateMatchShare = candidateMatchShare
        self.iterations = iterations
        self.converged = converged
    }
}
