import AccordConsolidation
import AccordModel
import AccordSampleData
import Testing

@Suite struct TrainingTests {
    /// Known parameters: λ = 0.3 and, per field, clearly different m and u.
    static let truth = MatchParameters(
        matchPrior: 0.3,
        fields: [
            FieldProbabilities(field: .givenName, levels: levels(.givenName, m: [0.80, 0.10, 0.06, 0.04], u: [0.05, 0.05, 0.15, 0.75])),
            FieldProbabilities(field: .familyName, levels: levels(.familyName, m: [0.85, 0.08, 0.04, 0.03], u: [0.10, 0.05, 0.10, 0.75])),
            FieldProbabilities(field: .birthDate, levels: levels(.birthDate, m: [0.90, 0.07, 0.03], u: [0.02, 0.03, 0.95])),
            FieldProbabilities(field: .email, levels: levels(.email, m: [0.70, 0.15, 0.05, 0.10], u: [0.01, 0.04, 0.05, 0.90])),
            FieldProbabilities(field: .phone, levels: levels(.phone, m: [0.75, 0.05, 0.20], u: [0.01, 0.01, 0.98])),
            FieldProbabilities(field: .address, levels: levels(.address, m: [0.70, 0.10, 0.10, 0.10], u: [0.02, 0.03, 0.15, 0.80])),
        ])

    static func levels(_ field: ComparisonField, m: [Double], u: [Double]) -> [LevelProbabilities] {
        zip(field.levels, zip(m, u)).map { LevelProbabilities(level: $0, m: $1.0, u: $1.1) }
    }

    /// Pattern counts drawn from `parameters`, a field missing with probability 0.1.
    static func sample(_ parameters: MatchParameters, pairs: Int, seed: UInt64) -> [ComparisonPattern: Int] {
        var rng = SeededGenerator(seed: seed)
        var counts: [ComparisonPattern: Int] = [:]
        for _ in 0..<pairs {
            let match = rng.chance(parameters.matchPrior)
            var levels: [ComparisonField: ComparisonLevel] = [:]
            for field in parameters.fields where !rng.chance(0.1) {
                var roll = rng.unit()
                for level in field.levels {
                    let p = match ? level.m : level.u
                    if roll < p || level.level == field.levels.last!.level { levels[field.field] = level.level; break }
                    roll -= p
                }
            }
            counts[ComparisonPattern(levels), default: 0] += 1
        }
        return counts
    }

    func expectClose(_ found: MatchParameters, _ expected: MatchParameters, tolerance: Double, checkU: Bool) {
        #expect(abs(found.matchPrior - expected.matchPrior) < tolerance, "prior \(found.matchPrior)")
        for (f, e) in zip(found.fields, expected.fields) {
            for (a, b) in zip(f.levels, e.levels) {
                #expect(abs(a.m - b.m) < tolerance, "\(f.field).\(a.level) m \(a.m) vs \(b.m)")
                if checkU { #expect(abs(a.u - b.u) < tolerance, "\(f.field).\(a.level) u \(a.u) vs \(b.u)") }
            }
        }
    }

    @Test func emRecoversKnownParametersFromTheUntrainedStart() {
        let counts = Self.sample(Self.truth, pairs: 60_000, seed: 3)
        let fit = MatchTrainer.estimate(patternCounts: counts, start: .untrained)
        #expect(fit.converged)
        expectClose(fit.parameters, Self.truth, tolerance: 0.02, checkU: true)
    }

    @Test func emWithFixedURecoversMAndThePrior() {
        let counts = Self.sample(Self.truth, pairs: 60_000, seed: 4)
        var start = Self.truth
        start.matchPrior = 0.6
        for f in start.fields.indices {
            let n = Double(start.fields[f].levels.count)
            for l in start.fields[f].levels.indices { start.fields[f].levels[l].m = 1 / n }  // m flat, u known
        }
        let fit = MatchTrainer.estimate(patternCounts: counts, start: start, fixedU: true)
        expectClose(fit.parameters, Self.truth, tolerance: 0.02, checkU: true)
        #expect(fit.parameters.fields.map { $0.levels.map(\.u) } == start.fields.map { $0.levels.map(\.u) })
    }

    /// Training on generated data without its truth gives parameters that resolve it well.
    @Test func trainingWithoutLabelsResolvesGeneratedData() throws {
        let (records, truth) = sampleRecords(persons: 1500, units: 3, seed: 21)
        let trained = MatchTrainer.train(records: records, rules: .standard, randomPairs: 30_000, threads: 2)
        try trained.validate()
        #expect(trained.training?.records == records.count)
        #expect(trained.probabilities(.email)[0].m > 0.5)
        #expect(trained.probabilities(.email)[0].u < 0.001)
        #expect(trained.termFrequencies(.familyName)?.values["mueller"] != nil)  // the commonest name is listed
        let resolver = IdentityResolver(records: records, rules: .standard, parameters: trained)
        var predicted = 0, correct = 0
        for profile in resolver.profiles {
            for i in profile.records.indices {
                for j in profile.records.indices where j > i {
                    predicted += 1
                    if truth[profile.records[i]] == truth[profile.records[j]] { correct += 1 }
                }
            }
        }
        var byPerson: [Int: Int] = [:]
        for id in truth.values { byPerson[id, default: 0] += 1 }
        let truePairs = byPerson.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        let precision = Double(correct) / Double(predicted), recall = Double(correct) / Double(truePairs)
        #expect(precision > 0.97, "precision \(precision)")
        #expect(recall > 0.9, "recall \(recall)")
    }
}
