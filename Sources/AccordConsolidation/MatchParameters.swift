/// The Fellegi-Sunter model's parameters: per comparison level the probability `m` of seeing it
/// for a pair of records of the same person and `u` for different people, the share of matches
/// among candidate pairs, and term frequencies of common names. Estimated without labels by
/// ``MatchTrainer``; a plain value with a stable JSON form (``ConsolidationJSON``), meant to be
/// proposed into the policy and signed by the governance team.
public struct MatchParameters: Codable, Sendable, Equatable {
    /// The format of this value (1).
    public var format: Int
    /// Share of matches among all record pairs, `0 < λ < 1`; a pair's score starts at `log2(λ / (1 - λ))`.
    public var matchPrior: Double
    /// Per comparison, its levels' probabilities: every ``ComparisonField`` once, in order.
    public var fields: [FieldProbabilities]
    /// Term frequencies of common values, for fields the rules adjust.
    public var termFrequencies: [TermFrequencyTable]
    /// How these parameters were estimated, if they were.
    public var training: TrainingSummary?

    /// Creates parameters.
    public init(
        format: Int = 1, matchPrior: Double, fields: [FieldProbabilities], termFrequencies: [TermFrequencyTable] = [],
        training: TrainingSummary? = nil
    ) {
        self.format = format
        self.matchPrior = matchPrior
        self.fields = fields
        self.termFrequencies = termFrequencies
        self.training = training
    }

    /// The probabilities of one field's levels, in the order of ``ComparisonField/levels``.
    public func probabilities(_ field: ComparisonField) -> [LevelProbabilities] {
        fields.first { $0.field == field }?.levels ?? []
    }

    /// The term-frequency table of a field, if any.
    public func termFrequencies(_ field: ComparisonField) -> TermFrequencyTable? {
        termFrequencies.first { $0.field == field }
    }

    /// Checks that every field appears once, in order, with exactly its levels, and that every
    /// probability is in `(0, 1]` and each field's `m` and `u` sum to 1 (within 1e-3).
    /// - Throws: ``ConsolidationError`` `.invalidParameters` naming the field and level.
    public func validate() throws(ConsolidationError) {
        guard format == 1 else { throw ConsolidationError(.invalidParameters, "format \(format) is not supported (expected 1)") }
        guard matchPrior > 0, matchPrior < 1 else {
            throw ConsolidationError(.invalidParameters, "matchPrior must be strictly between 0 and 1")
        }
        guard fields.map(\.field) == ComparisonField.allCases else {
            throw ConsolidationError(
                .invalidParameters,
                "fields must be \(ComparisonField.allCases.map(\.rawValue).joined(separator: ", ")), once each, in this order")
        }
        for field in fields {
            guard field.levels.map(\.level) == field.field.levels else {
                throw ConsolidationError(
                    .invalidParameters,
                    "\(field.field.rawValue): levels must be \(field.field.levels.map(\.rawValue).joined(separator: ", ")) in this order")
            }
            for level in field.levels {
                guard level.m > 0, level.m <= 1, level.u > 0, level.u <= 1 else {
                    throw ConsolidationError(
                        .invalidParameters, "\(field.field.rawValue).\(level.level.rawValue): m and u must be in (0, 1]")
                }
            }
            guard abs(field.levels.map(\.m).reduce(0, +) - 1) < 1e-3, abs(field.levels.map(\.u).reduce(0, +) - 1) < 1e-3 else {
                throw ConsolidationError(.invalidParameters, "\(field.field.rawValue): m and u must each sum to 1")
            }
        }
        for table in termFrequencies {
            guard table.averageAgreement > 0, table.averageAgreement <= 1, table.rareFrequency > 0, table.rareFrequency <= 1,
                table.values.values.allSatisfy({ $0 > 0 && $0 <= 1 })
            else {
                throw ConsolidationError(.invalidParameters, "termFrequencies.\(table.field.rawValue): frequencies must be in (0, 1]")
            }
        }
    }

    /// Hand-set starting values, used before any training and as EM's starting point.
    public static let untrained = MatchParameters(
        matchPrior: 4e-6,
        fields: [
            FieldProbabilities(.givenName, m: [0.85, 0.10, 0.03, 0.02], u: [0.008, 0.004, 0.03, 0.958]),
            FieldProbabilities(.familyName, m: [0.88, 0.08, 0.02, 0.02], u: [0.006, 0.01, 0.03, 0.954]),
            FieldProbabilities(.birthDate, m: [0.93, 0.05, 0.02], u: [0.00005, 0.0005, 0.99945]),
            FieldProbabilities(.email, m: [0.70, 0.10, 0.05, 0.15], u: [0.00003, 0.0002, 0.002, 0.99777]),
            FieldProbabilities(.phone, m: [0.75, 0.02, 0.23], u: [0.00001, 0.0001, 0.99989]),
            FieldProbabilities(.address, m: [0.80, 0.03, 0.05, 0.12], u: [0.00001, 0.00001, 0.01, 0.98998]),
        ])
}
