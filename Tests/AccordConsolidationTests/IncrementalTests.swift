import AccordConsolidation
import AccordModel
import Testing

/// Incremental and batch resolution agree, whatever the order of arrival.
@Suite struct IncrementalTests {
    let rules = ResolutionRules.standard
    let parameters = MatchParameters.untrained

    @Test func batchIsIndependentOfInputOrderAndThreads() {
        let (records, _) = sampleRecords(persons: 500, units: 3)
        let reference = IdentityResolver(records: records, rules: rules, parameters: parameters, threads: 1)
        #expect(reference.profiles.count < records.count)  // something was linked
        for seed in [UInt64(1), 2] {
            let other = IdentityResolver(records: shuffled(records, seed: seed), rules: rules, parameters: parameters, threads: 2)
            #expect(snapshot(other) == snapshot(reference))
            #expect(other.assignments == reference.assignments)
        }
    }

    @Test func oneByOneInRandomOrdersEqualsBatch() {
        let (records, _) = sampleRecords(persons: 400, units: 3)
        let batch = IdentityResolver(records: records, rules: rules, parameters: parameters)
        for seed in [UInt64(11), 12] {
            var incremental = IdentityResolver(rules: rules, parameters: parameters)
            for record in shuffled(records, seed: seed) { incremental.upsert(record) }
            #expect(snapshot(incremental) == snapshot(batch), "order \(seed)")
            #expect(incremental.reviewQueue == batch.reviewQueue)
            #expect(incremental.statistics == batch.statistics)
        }
    }

    @Test func updatesAndRemovalsEqualBatchOfTheFinalRecords() {
        let (records, _) = sampleRecords(persons: 300, units: 3)
        var incremental = IdentityResolver(rules: rules, parameters: parameters)
        for record in shuffled(records, seed: 5) { incremental.upsert(record) }
        // Remove every seventh record, and give every fifth a new e-mail address and family name.
        var final: [RecordKey: IdentityRecord] = Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0) })
        for (index, record) in shuffled(records, seed: 6).enumerated() {
            if index % 7 == 0 {
                incremental.remove(record.key)
                final[record.key] = nil
            } else if index % 5 == 0 {
                var changed = record
                changed.attributes[AttributeName(unchecked: "email")] = ["changed\(index)@example.org"]
                changed.attributes[AttributeName(unchecked: "family_name")] = ["Anders"]
                incremental.upsert(changed)
                final[record.key] = changed
            }
        }
        let batch = IdentityResolver(records: Array(final.values), rules: rules, parameters: parameters)
        #expect(snapshot(incremental) == snapshot(batch))
        #expect(incremental.recordCount == final.count)
    }

    /// Blocks growing past the cap and shrinking back below it, one record at a time.
    @Test func blockCapCrossingsEqualBatch() {
        var capped = rules
        capped.blocking = BlockingRules(keys: [.email, .phone], maxBlockSize: 3)
        // Five records share one e-mail address (a family address); two pairs are also the same people.
        let shared = "familie@example.org"
        let records = [
            person("retail", "1", given: "Anna", family: "Berg", birth: "1980-01-01", email: shared),
            person("webshop", "1", given: "Anna", family: "Berg", birth: "1980-01-01", email: shared),
            person("retail", "2", given: "Paul", family: "Berg", birth: "1978-02-02", email: shared),
            person("webshop", "2", given: "Paul", family: "Berg", birth: "1978-02-02", email: shared, phone: "+491701234567"),
            person("retail", "3", given: "Ida", family: "Berg", birth: "2004-03-03", email: shared, phone: "+491701234567"),
        ]
        var incremental = IdentityResolver(rules: capped, parameters: parameters)
        for (count, record) in records.enumerated() {
            incremental.upsert(record)
            let batch = IdentityResolver(records: Array(records.prefix(count + 1)), rules: capped, parameters: parameters)
            #expect(snapshot(incremental) == snapshot(batch), "after \(count + 1) records")
            #expect(incremental.statistics.candidatePairs == batch.statistics.candidatePairs)
        }
        // With five records the e-mail block makes no pairs; the phone still pairs Paul and Ida.
        #expect(!incremental.isCandidate(key("retail", "1"), key("webshop", "1")))
        #expect(incremental.isCandidate(key("webshop", "2"), key("retail", "3")))
        for removed in [key("retail", "3"), key("retail", "2")] {
            incremental.remove(removed)
            let remaining = records.filter { incremental.profile(of: $0.key) != nil }
            #expect(snapshot(incremental) == snapshot(IdentityResolver(records: remaining, rules: capped, parameters: parameters)))
        }
        // Three records left: the e-mail block pairs them again.
        #expect(incremental.isCandidate(key("retail", "1"), key("webshop", "1")))
        #expect(together(incremental, key("retail", "1"), key("webshop", "1")))
    }

    @Test func unchangedUpsertChangesNothing() {
        let a = person("retail", "1", given: "Anna", family: "Berg", birth: "1980-01-01", email: "anna@example.org")
        var resolver = IdentityResolver(rules: rules, parameters: parameters)
        let first = resolver.upsert(a)
        #expect(first.changed.map(\.records) == [[a.key]])
        #expect(resolver.upsert(a).isEmpty)
    }

    @Test func parametersCanBeReplaced() {
        let (records, _) = sampleRecords(persons: 300, units: 3)
        let trained = MatchTrainer.train(records: records, rules: rules, randomPairs: 20_000, threads: 2)
        var resolver = IdentityResolver(records: records, rules: rules, parameters: parameters)
        resolver.setParameters(trained)
        #expect(snapshot(resolver) == snapshot(IdentityResolver(records: records, rules: rules, parameters: trained)))
    }
}
