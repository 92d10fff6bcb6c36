import AccordImport

/// Everything identity resolution is configured by, apart from the trained weights
/// (``MatchParameters``): which attributes feed which comparison, normalization, blocking,
/// thresholds, the conflict rules and the chaining guard. A plain value with a stable JSON form
/// (``ConsolidationJSON``), meant for the policy's `identityResolution` section.
public struct ResolutionRules: Codable, Sendable, Equatable {
    /// Which record attributes feed each role.
    public var fields: FieldMapping
    /// How values are normalized for matching.
    public var normalization: MatchNormalization
    /// Which blocking keys make candidate pairs, and the block-size cap.
    public var blocking: BlockingRules
    /// The two score thresholds, in bits.
    public var thresholds: MatchThresholds
    /// Rules that keep different people apart whatever the other fields say.
    public var conflicts: ConflictRules
    /// The chaining guard of clustering.
    public var clustering: ClusteringRules
    /// Term-frequency adjustment of exact name agreements.
    public var termFrequency: TermFrequencyRules

    /// Creates rules.
    public init(
        fields: FieldMapping = .standard, normalization: MatchNormalization = .standard,
        blocking: BlockingRules = .standard, thresholds: MatchThresholds = .standard,
        conflicts: ConflictRules = .standard, clustering: ClusteringRules = .standard,
        termFrequency: TermFrequencyRules = .standard
    ) {
        self.fields = fields
        self.normalization = normalization
        self.blocking = blocking
        self.thresholds = thresholds
        self.conflicts = conflicts
        self.clustering = clustering
        self.termFrequency = termFrequency
    }

    /// The defaults, tuned on nothing but documented in `docs/decisions.md`.
    public static let standard = ResolutionRules()
}

extension ResolutionRules {
    /// Checks the rules for consistency.
    /// - Throws: ``ConsolidationError`` `.invalidRules` naming the setting.
    public func validate() throws(ConsolidationError) {
        guard thresholds.link.isFinite, thresholds.review.isFinite, thresholds.review <= thresholds.link else {
            throw ConsolidationError(.invalidRules, "thresholds: review must be finite and at most link")
        }
        if let floor = clustering.cohesionFloor, !floor.isFinite {
            throw ConsolidationError(.invalidRules, "clustering.cohesionFloor must be finite")
        }
        guard !blocking.keys.isEmpty, Set(blocking.keys).count == blocking.keys.count else {
            throw ConsolidationError(.invalidRules, "blocking.keys must name at least one key, each once")
        }
        guard blocking.maxBlockSize >= 2 else {
            throw ConsolidationError(.invalidRules, "blocking.maxBlockSize must be at least 2")
        }
        guard DateOrder(rawValue: normalization.dateOrder) != nil else {
            throw ConsolidationError(.invalidRules, "normalization.dateOrder must be dayFirst, monthFirst or yearFirst")
        }
        let country = Array(normalization.defaultCountry.utf8)
        guard country.count == 2, country.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw ConsolidationError(.invalidRules, "normalization.defaultCountry must be an ISO 3166-1 alpha-2 code such as DE")
        }
        guard termFrequency.minimumCount >= 1, termFrequency.maximumPenalty >= 0, termFrequency.maximumBonus >= 0 else {
            throw ConsolidationError(.invalidRules, "termFrequency: minimumCount must be at least 1 and the clamps not negative")
        }
    }

    /// The cohesion floor in effect: the configured one, else the review threshold.
    var effectiveCohesionFloor: Double { clustering.cohesionFloor ?? thresholds.review }
}
