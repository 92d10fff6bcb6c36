import Foundation

/// One field's level probabilities.
public struct FieldProbabilities: Codable, Sendable, Equatable {
    /// The comparison.
    public var field: ComparisonField
    /// Its levels, best first, as ``ComparisonField/levels``.
    public var levels: [LevelProbabilities]

    /// Creates the probabilities of a field's levels.
    public init(field: ComparisonField, levels: [LevelProbabilities]) {
        self.field = field
        self.levels = levels
    }

    /// Creates them from `m` and `u` lists in level order.
    init(_ field: ComparisonField, m: [Double], u: [Double]) {
        self.field = field
        levels = zip(field.levels, zip(m, u)).map { LevelProbabilities(level: $0, m: $1.0, u: $1.1) }
    }
}

/// The probabilities of one level.
public struct LevelProbabilities: Codable, Sendable, Equatable {
    /// The level.
    public var level: ComparisonLevel
    /// Probability of the level for a matching pair.
    public var m: Double
    /// Probability of the level for two records of different people.
    public var u: Double

    /// Creates the probabilities of a level.
    public init(level: ComparisonLevel, m: Double, u: Double) {
        self.level = level
        self.m = m
        self.u = u
    }

    /// The match weight `log2(m / u)` in bits.
    public var weight: Double { log2(m / u) }
}
