import AccordConsolidation
import Testing

@testable import AccordPolicy

/// The `identityResolution` and `survivorship` sections: defaults, partial rules, canonical form, errors.
struct ConsolidationSectionTests {
    private func policy(adding sections: String) throws -> Policy {
        var text = basePolicy
        text.removeLast()
        return try Policy.parse(Array((text + ", " + sections + "}").utf8), source: "policy.json")
    }

    @Test func policiesWithoutTheSectionsGetTheDefaultsAndKeepTheirCanonicalForm() throws {
        let plain = try Policy.parse(Array(basePolicy.utf8))
        #expect(plain.identityResolution == nil && plain.survivorship == nil)
        #expect(plain.resolutionRules == .standard)
        #expect(plain.matchParameters == .untrained)
        #expect(plain.survivorshipRules == .standard)
        let canonical = String(decoding: plain.canonicalJSON(), as: UTF8.self)
        #expect(!canonical.contains("identityResolution") && !canonical.contains("survivorship"))
        #expect(plain.mayDecideMatches(unit: "governance") != .allowed)
    }

    @Test func partialRulesAreWrittenOverTheDefaultsAndReadBackIdentically() throws {
        let policy = try policy(adding: #"""
            "identityResolution": {"rules": {"thresholds": {"link": 12.5}, "blocking": {"keys": ["email", "phone"]},
                                             "clustering": {"cohesionFloor": null}},
                                   "stewardship": {"shareClass": "contact", "stewards": ["governance"]}},
            "survivorship": {"scalars": {"kind": "mostComplete"},
                             "attributes": {"email": {"kind": "sourcePriority", "units": ["retail", "insurance"]}}}
            """#)
        let rules = policy.resolutionRules
        #expect(rules.thresholds.link == 12.5)
        #expect(rules.thresholds.review == MatchThresholds.standard.review)
        #expect(rules.blocking.keys == [.email, .phone])
        #expect(rules.blocking.maxBlockSize == BlockingRules.standard.maxBlockSize)
        #expect(rules.clustering.cohesionFloor == nil)
        #expect(policy.matchParameters == .untrained)
        #expect(policy.survivorshipRules.scalars == .mostComplete)
        #expect(policy.survivorshipRules.attributes["email"] == SurvivorshipRule(kind: .sourcePriority, units: ["retail", "insurance"]))
        #expect(policy.mayDecideMatches(unit: "governance") == .allowed)
        #expect(policy.mayDecideMatches(unit: "retail") != .allowed)
        let again = try Policy.parse(policy.canonicalJSON())
        #expect(again == policy)
        #expect(again.canonicalJSON() == policy.canonicalJSON())
    }

    @Test func trainedParametersRoundTripThroughTheCanonicalForm() throws {
        var parameters = MatchParameters.untrained
        parameters.matchPrior = 3.7e-6
        parameters.training = TrainingSummary(records: 10, pairs: 20, randomPairs: 30, candidateMatchShare: 0.25, iterations: 4, converged: true)
        let json = String(decoding: ConsolidationJSON.encode(parameters), as: UTF8.self)
        let policy = try policy(adding: #""identityResolution": {"parameters": "# + json + "}")
        #expect(policy.matchParameters == parameters)
        #expect(try Policy.parse(policy.canonicalJSON()) == policy)
    }

    @Test(arguments: [
        (#""identityResolution": {"rules": {"thresholds": {"lnk": 3}}}"#, "$.identityResolution.rules.thresholds.lnk", PolicyError.Code.unknownKey),
        (#""identityResolution": {"rules": {"thresholds": {"link": "high"}}}"#, "$.identityResolution.rules.thresholds.link", .wrongType),
        (#""identityResolution": {"rules": {"thresholds": {"link": -5}}}"#, "$.identityResolution.rules", .invalidValue),
        (#""identityResolution": {"rules": {"blocking": {"keys": ["shoe"]}}}"#, "$.identityResolution.rules.blocking.keys[0]", .invalidValue),
        (#""identityResolution": {"rules": {"fields": {"email": ["mail"]}}}"#, "$.identityResolution.rules.fields.email[0]", .unknownReference),
        (#""identityResolution": {"parameters": {"format": 1}}"#, "$.identityResolution.parameters.matchPrior", .missingField),
        (#""identityResolution": {"stewardship": {"shareClass": "financial", "stewards": ["governance"]}}"#,
         "$.identityResolution.stewardship.shareClass", .invalidValue),
        (#""identityResolution": {"stewardship": {"shareClass": "contact", "stewards": ["nobody"]}}"#,
         "$.identityResolution.stewardship.stewards[0]", .unknownReference),
        (#""identityResolution": {"matching": {}}"#, "$.identityResolution.matching", .unknownKey),
        (#""survivorship": {"attributes": {"shoe_size": {"kind": "mostRecent"}}}"#, "$.survivorship.attributes.shoe_size", .unknownReference),
        (#""survivorship": {"scalars": {"kind": "loudest"}}"#, "$.survivorship.scalars.kind", .invalidValue),
        (#""survivorship": {"scalars": {"kind": "sourcePriority"}}"#, "$.survivorship.scalars.units", .missingField),
        (#""survivorship": {"sets": {"kind": "union", "units": ["retail"]}}"#, "$.survivorship.sets.units", .invalidValue),
    ])
    func badSectionsAreRefusedWithTheirPath(section: String, path: String, code: PolicyError.Code) throws {
        let error = try #require(throws: PolicyError.self) { try policy(adding: section) }
        #expect(error.code == code, "\(error)")
        #expect(error.path == path, "\(error)")
    }
}
