public import AccordConsolidation

/// The policy's `identityResolution` section: how records are matched into profiles (the rules and
/// the trained model parameters of ``AccordConsolidation``) and who may record steward decisions.
/// A policy without the section resolves with the built-in defaults (``Policy/resolutionRules``).
public struct IdentityResolutionPolicy: Sendable, Equatable {
    /// Blocking keys, comparisons, thresholds, conflicts, chaining guard, term-frequency settings:
    /// the document's `rules` written over ``ResolutionRules/standard``.
    public let rules: ResolutionRules
    /// The m/u probabilities and term frequencies (``MatchParameters/untrained`` when absent);
    /// `accord match train` proposes new ones.
    public let parameters: MatchParameters
    /// Who may record must-link and cannot-link decisions, and in which class they travel;
    /// `nil`: nobody (steward decisions are off).
    public let stewardship: StewardshipPolicy?

    /// Creates the section (no validation; `Policy.parse` validates).
    public init(rules: ResolutionRules, parameters: MatchParameters, stewardship: StewardshipPolicy?) {
        self.rules = rules
        self.parameters = parameters
        self.stewardship = stewardship
    }
}

/// Steward decisions as replicated entries: the class they travel in (its audience must be `all`,
/// so every node that may hold a record also holds every decision about it and resolves alike)
/// and the units whose stewards may write them.
public struct StewardshipPolicy: Sendable, Equatable {
    /// The share class of steward decision entries.
    public let shareClass: String
    /// The units that may write steward decisions, sorted.
    public let stewards: [String]

    /// Creates the stewardship settings (no validation; `Policy.parse` validates).
    public init(shareClass: String, stewards: [String]) {
        self.shareClass = shareClass
        self.stewards = stewards.sorted()
    }
}

extension Policy {
    /// The identity-resolution rules in force: the policy's, or the built-in defaults.
    public var resolutionRules: ResolutionRules { identityResolution?.rules ?? .standard }

    /// The model parameters in force: the policy's, or the untrained defaults.
    public var matchParameters: MatchParameters { identityResolution?.parameters ?? .untrained }

    /// The survivorship rules in force: the policy's, or the defaults (most recent for text, union for sets).
    public var survivorshipRules: SurvivorshipRules { survivorship ?? .standard }

    /// Whether `unit` may write steward decisions: the policy has a stewardship section listing it.
    /// - Returns: `.allowed`, or `.denied` naming the stewards.
    public func mayDecideMatches(unit: String) -> PolicyDecision {
        guard let stewardship = identityResolution?.stewardship else {
            return .denied(reason: "policy v\(version) has no identityResolution.stewardship section")
        }
        guard stewardship.stewards.contains(unit) else {
            return .denied(reason: "unit \"\(unit)\" may not record steward decisions "
                + "(policy v\(version): stewards are \(stewardship.stewards.joined(separator: ", ")))")
        }
        return .allowed
    }
}
