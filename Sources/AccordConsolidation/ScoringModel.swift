import Foundation

/// Scores are kept in integer millibits (1/1000 bit), so that a pair's score is an exact sum that
/// every node computes to the same value, whatever its floating-point unit.
enum Score {
    /// Bits to millibits, rounded half away from zero, clamped to ±10^6 bits.
    static func millibits(_ bits: Double) -> Int {
        guard bits.isFinite else { return bits > 0 ? 1_000_000_000 : -1_000_000_000 }
        return Int((min(1e6, max(-1e6, bits)) * 1000).rounded())
    }

    /// Millibits to bits.
    static func bits(_ millibits: Int32) -> Double { Double(millibits) / 1000 }
}

/// A pair's score and whether one of the conflict rules capped it.
struct PairScore: Sendable, Equatable {
    /// Millibits, prior included, after the conflict caps.
    var score: Int32
    /// Whether a conflict rule applied (different given names or birth dates): such a pair never
    /// links and never lets two clusters containing it merge.
    var conflict: Bool
}

/// The Fellegi-Sunter weights of one parameter set, ready for integer scoring.
struct ScoringModel: Sendable {
    /// `log2(λ / (1 - λ))` in millibits.
    let prior: Int32
    /// Weight per field and level code (8 per field, missing = 0), millibits.
    let weights: [Int32]
    let link: Int32
    let review: Int32
    let cohesionFloor: Int32
    let conflicts: ConflictRules

    /// Weights are clamped to ±30 bits, so a level never seen in training cannot dominate a score.
    static let maximumWeight = 30.0

    init(parameters: MatchParameters, rules: ResolutionRules) {
        prior = Int32(Score.millibits(log2(parameters.matchPrior / (1 - parameters.matchPrior))))
        var weights = [Int32](repeating: 0, count: ComparisonField.allCases.count * 8)
        for field in ComparisonField.allCases {
            for level in parameters.probabilities(field) {
                let w = min(Self.maximumWeight, max(-Self.maximumWeight, level.weight))
                weights[field.index * 8 + Int(level.level.code)] = Int32(Score.millibits(w))
            }
        }
        self.weights = weights
        link = Int32(Score.millibits(rules.thresholds.link))
        review = Int32(Score.millibits(rules.thresholds.review))
        cohesionFloor = Int32(Score.millibits(rules.effectiveCohesionFloor))
        conflicts = rules.conflicts
    }

    /// The weight of one field's level code (0 for missing).
    @inline(__always)
    func weight(_ field: Int, _ code: UInt8) -> Int32 { code == ComparisonPattern.missing ? 0 : weights[field * 8 + Int(code)] }

    /// The score of a comparison: prior, level weights, term-frequency adjustments, then the caps.
    func score(_ comparison: PairComparison, in space: FeatureSpace) -> PairScore {
        var total = Int(prior)
        for field in 0..<ComparisonField.allCases.count { total += Int(weight(field, comparison.pattern.code(field))) }
        if comparison.givenAgreement >= 0 { total += Int(space.givenAdjustment[Int(comparison.givenAgreement)]) }
        if comparison.familyAgreement >= 0 { total += Int(space.familyAdjustment[Int(comparison.familyAgreement)]) }
        var conflict = false
        if conflicts.differentGivenNames {
            switch comparison.pattern.code(ComparisonField.givenName.index) {
            case 3:
                conflict = true
                total = min(total, Int(comparison.sharesContact ? link : review) - 1)
            case 2 where !comparison.sharesContact:
                // Only somewhat alike (Lena and Lina): not enough to link on its own; a steward decides.
                total = min(total, Int(link) - 1)
            default:
                break
            }
        }
        if conflicts.differentBirthDates, comparison.pattern.code(ComparisonField.birthDate.index) == 3 {
            conflict = true
            total = min(total, Int(link) - 1)
        }
        return PairScore(score: Int32(clamping: total), conflict: conflict)
    }
}
