import AccordConsolidation
import AccordModel
import Testing

/// The plain values' JSON form and their validation.
@Suite struct ValueFormTests {
    @Test func rulesAndParametersRoundTripThroughStableJSON() throws {
        let rules = ResolutionRules.standard
        let bytes = ConsolidationJSON.encode(rules)
        #expect(try ConsolidationJSON.decodeRules(bytes) == rules)
        #expect(ConsolidationJSON.encode(try ConsolidationJSON.decodeRules(bytes)) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"maxBlockSize\" : 40"))
        #expect(text.firstRange(of: "\"blocking\"")!.lowerBound < text.firstRange(of: "\"thresholds\"")!.lowerBound)  // sorted keys

        var parameters = MatchParameters.untrained
        parameters.termFrequencies = [
            TermFrequencyTable(field: .familyName, averageAgreement: 0.006, rareFrequency: 0.0001, values: ["mueller": 0.044, "schmidt": 0.03])
        ]
        parameters.training = TrainingSummary(records: 10, pairs: 5, randomPairs: 100, candidateMatchShare: 0.9, iterations: 7, converged: true)
        let encoded = ConsolidationJSON.encode(parameters)
        #expect(try ConsolidationJSON.decodeParameters(encoded) == parameters)
        #expect(ConsolidationJSON.encode(try ConsolidationJSON.decodeParameters(encoded)) == encoded)
        let survivorship = SurvivorshipRules(attributes: ["email": .sourcePriority([UnitID(unchecked: "retail")])])
        #expect(try ConsolidationJSON.decode(SurvivorshipRules.self, from: ConsolidationJSON.encode(survivorship)) == survivorship)
    }

    @Test func badInputIsRefusedWithItsPath() {
        #expect(throws: ConsolidationError(.malformedJSON, "")) { try ConsolidationJSON.decodeRules(Array("{".utf8)) }
        do {
            _ = try ConsolidationJSON.decodeParameters(Array(#"{"format": 1, "matchPrior": 0.1, "fields": [{"field": "givenName"}], "termFrequencies": []}"#.utf8))
            Issue.record("decoded")
        } catch {
            #expect(error.code == .malformedJSON)
            #expect(error.message.contains("$.fields[0].levels"), "\(error.message)")
        }
        var parameters = MatchParameters.untrained
        parameters.fields[2].levels[0].m = -0.5
        #expect(throws: ConsolidationError(.invalidParameters, "")) { try parameters.validate() }
        parameters = .untrained
        parameters.fields.removeLast()
        #expect(throws: ConsolidationError(.invalidParameters, "")) { try parameters.validate() }
        parameters = .untrained
        parameters.matchPrior = 1
        #expect(throws: ConsolidationError(.invalidParameters, "")) { try parameters.validate() }

        var rules = ResolutionRules.standard
        rules.thresholds = MatchThresholds(link: 2, review: 5)
        #expect(throws: ConsolidationError(.invalidRules, "")) { try rules.validate() }
        rules = .standard
        rules.blocking.maxBlockSize = 1
        #expect(throws: ConsolidationError(.invalidRules, "")) { try rules.validate() }
        rules = .standard
        rules.normalization.dateOrder = "sideways"
        #expect(throws: ConsolidationError(.invalidRules, "")) { try rules.validate() }
        rules = .standard
        rules.normalization.defaultCountry = "Germany"
        #expect(throws: ConsolidationError(.invalidRules, "")) { try rules.validate() }
        #expect(throws: Never.self) { try ResolutionRules.standard.validate() }
        #expect(throws: Never.self) { try MatchParameters.untrained.validate() }
    }

    @Test func identityRecordFromStoreRegisters() {
        let record = key("retail", "R-1")
        var owner = RecordState()
        owner.merge(AttributeName(unchecked: "given_name"), Register(hlc: HLC(rawValue: 50), value: .text("Anna")))
        owner.merge(AttributeName(unchecked: "email"), Register(hlc: HLC(rawValue: 40), value: .set(["a@x.de", "b@x.de"])))
        owner.merge(AttributeName(unchecked: "phone"), Register(hlc: HLC(rawValue: 45), value: nil))
        var support = RecordState()
        support.merge(AttributeName(unchecked: "email"), Register(hlc: HLC(rawValue: 90), value: .set(["c@x.de"])))
        let identity = IdentityRecord(key: record, states: [owner, support])
        #expect(identity.created == HLC(rawValue: 40))
        #expect(identity.attributes[AttributeName(unchecked: "email")] == ["a@x.de", "b@x.de", "c@x.de"])
        #expect(identity.attributes[AttributeName(unchecked: "phone")] == nil)
        #expect(identity.attributes[AttributeName(unchecked: "given_name")] == ["Anna"])
    }
}
