import AccordConsolidation
import AccordModel
import AccordSampleData
import Foundation

/// Identity resolution on generated data with known truth: `SampleSpread` persons over K units,
/// parameters trained without labels, all records resolved at once, then new records added one by one.
enum MatchBenchmark {
    static func run(_ arguments: [String]) throws {
        let persons = Int(Figures.option("persons", in: arguments) ?? "") ?? 200_000
        let unitCount = Int(Figures.option("units", in: arguments) ?? "") ?? 5
        let seed = UInt64(Figures.option("seed", in: arguments) ?? "") ?? 42
        let newRecords = Int(Figures.option("new", in: arguments) ?? "") ?? 1000
        let threads = Int(Figures.option("threads", in: arguments) ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        let verify = !arguments.contains("--no-verify")
        guard persons >= 2, (1...8).contains(unitCount), newRecords >= 0 else {
            throw BenchmarkError("--persons must be at least 2, --units 1...8, --new not negative")
        }

        let spread = SampleSpread(persons: persons, seed: seed, units: SampleSpread.standardUnits(unitCount))
        var all: [IdentityRecord] = []
        var person: [RecordKey: Int] = [:]
        let generation = Figures.time {
            for sample in spread.allRecords() {
                let record = identityRecord(sample)
                all.append(record)
                person[record.key] = sample.personId
            }
        }
        print("# match benchmark: \(persons) persons over \(unitCount) units, \(all.count) records, seed \(seed), \(threads) threads; "
            + "generated in \(String(format: "%.1f", generation)) s (not timed)")
        // Hold out new records for the incremental figure: a seeded sample.
        var rng = SeededGenerator(seed: seed ^ 0x1AC4)
        var order = Array(all.indices)
        for i in order.indices.reversed() where i > 0 { order.swapAt(i, rng.below(i + 1)) }
        let heldOut = Set(order.prefix(min(newRecords, all.count / 2)))
        let batch = all.indices.filter { !heldOut.contains($0) }.map { all[$0] }
        let later = order.prefix(heldOut.count).map { all[$0] }

        let inputRSS = currentRSSMiB()
        var rules = ResolutionRules.standard
        if let link = Figures.option("link", in: arguments).flatMap(Double.init) { rules.thresholds.link = link }
        if let review = Figures.option("review", in: arguments).flatMap(Double.init) { rules.thresholds.review = review }
        if let floor = Figures.option("floor", in: arguments).flatMap(Double.init) { rules.clustering.cohesionFloor = floor }
        if let cap = Figures.option("cap", in: arguments).flatMap(Int.init) { rules.blocking.maxBlockSize = cap }
        if let keys = Figures.option("keys", in: arguments) {
            rules.blocking.keys = keys.split(separator: ",").compactMap { BlockingKey(rawValue: String($0)) }
        }
        if arguments.contains("--no-guard") { rules.clustering.chainingGuard = false }
        if arguments.contains("--no-conflicts") { rules.conflicts = ConflictRules(differentGivenNames: false, differentBirthDates: false) }
        if arguments.contains("--no-tf") { rules.termFrequency.givenName = false; rules.termFrequency.familyName = false }
        try rules.validate()
        var resolver = IdentityResolver(rules: rules, parameters: .untrained)
        var parameters = MatchParameters.untrained
        let seconds = Figures.time {
            (resolver, parameters) = IdentityResolver.trained(records: batch, rules: rules, threads: threads)
        }
        let batchRSS = Figures.peakRSSMiB()
        let heldRSS = currentRSSMiB()
        print("# phases (wall/cpu s): " + resolver.loadTimings.map { "\($0.phase) \(String(format: "%.2f/%.2f", $0.seconds, $0.cpu))" }
            .joined(separator: ", "))
        if let training = parameters.training {
            print("# EM: \(training.iterations) iterations on \(training.pairs) candidate pairs, converged \(training.converged), "
                + "match prior \(parameters.matchPrior)")
        }

        var latencies: [Double] = []
        for record in later {
            let start = DispatchTime.now().uptimeNanoseconds
            resolver.upsert(record)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        latencies.sort()

        let quality = Quality(resolver: resolver, person: person)
        let stats = resolver.statistics
        let n = Double(resolver.recordCount)
        Figures.report("match.records", n, "records")
        Figures.report("match.pairwise_precision", quality.pairPrecision, "", decimals: 4)
        Figures.report("match.pairwise_recall", quality.pairRecall, "", decimals: 4)
        Figures.report("match.pairwise_f1", quality.pairF1, "", goal: ">= 0.95", decimals: 4)
        Figures.report("match.cluster_precision", quality.clusterPrecision, "", decimals: 4)
        Figures.report("match.cluster_recall", quality.clusterRecall, "", decimals: 4)
        Figures.report("match.cluster_f1", quality.clusterF1, "", goal: ">= 0.93", decimals: 4)
        Figures.report("match.blocking_recall", quality.blockingRecall, "", decimals: 4)
        Figures.report("match.comparisons", Double(stats.candidatePairs), "pairs")
        Figures.report("match.comparisons_fraction", Double(stats.candidatePairs) / (n * (n - 1) / 2), "of all pairs", decimals: 8)
        Figures.report("match.review_pairs", Double(resolver.reviewQueue.count), "pairs")
        Figures.report("match.largest_component", Double(stats.largestComponent), "records")
        Figures.report("match.largest_profile", Double(stats.largestProfile), "records")
        Figures.report("match.whole_set_seconds", seconds, "s", goal: "<= 20", decimals: 2)
        Figures.report("match.peak_rss", batchRSS, "MiB", decimals: 1)
        Figures.report("match.input_rss", inputRSS, "MiB (the generated records, before resolving)", decimals: 1)
        Figures.report("match.resolver_rss", heldRSS - inputRSS, "MiB (held by the resolver after the batch)", decimals: 1)
        if !latencies.isEmpty {
            Figures.report("match.incremental_median", latencies[latencies.count / 2], "ms", goal: "<= 1", decimals: 3)
            Figures.report("match.incremental_p99", latencies[min(latencies.count - 1, latencies.count * 99 / 100)], "ms", decimals: 3)
        }
        let (households, twins, householdsMerged, twinsMerged) = relatedMerged(resolver, person: person, population: spread.population)
        Figures.report("match.households_merged", Double(householdsMerged), "of \(households) household pairs holding records", goal: "0")
        Figures.report("match.twins_merged", Double(twinsMerged), "of \(twins) twin pairs holding records", goal: "0")
        if arguments.contains("--diagnose") { diagnose(resolver, person: person, parameters: parameters) }
        if verify {
            let again = IdentityResolver(records: all, rules: rules, parameters: parameters, threads: threads)
            let same = again.assignments == resolver.assignments
            Figures.report("match.incremental_equals_batch", same ? 1 : 0, "(1 = identical profiles and ids)")
            if !same { throw BenchmarkError("adding records one by one gave other profiles than resolving all at once") }
        }
    }

    /// Resident set size now, in MiB (`/proc/self/statm`; 0 where it does not exist).
    static func currentRSSMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// Household and twin pairs (both persons holding records) and how many of them share a profile.
    static func relatedMerged(_ resolver: IdentityResolver, person: [RecordKey: Int], population: SamplePopulation)
        -> (households: Int, twins: Int, householdsMerged: Int, twinsMerged: Int)
    {
        var profilesOf: [Int: Set<ProfileID>] = [:]
        for (key, id) in person { if let profile = resolver.profile(of: key) { profilesOf[id, default: []].insert(profile.id) } }
        var households = 0, twins = 0, householdsMerged = 0, twinsMerged = 0
        for (id, profiles) in profilesOf {
            let relation = population.person(id).relation
            let partner: Int
            switch relation {
            case .single: continue
            case .household(let other), .twin(let other): partner = other
            }
            guard id < partner, let others = profilesOf[partner] else { continue }
            let merged = !profiles.isDisjoint(with: others)
            if case .twin = relation {
                twins += 1
                if merged { twinsMerged += 1 }
            } else {
                households += 1
                if merged { householdsMerged += 1 }
            }
        }
        return (households, twins, householdsMerged, twinsMerged)
    }

    /// Prints the trained parameters and the commonest comparison patterns of missed and of wrong pairs
    /// (synthetic data: no real person's values are printed, and only levels and scores at that).
    static func diagnose(_ resolver: IdentityResolver, person: [RecordKey: Int], parameters: MatchParameters) {
        var trained = parameters
        trained.termFrequencies = trained.termFrequencies.map { var t = $0; t.values = [:]; return t }
        print(String(decoding: ConsolidationJSON.encode(trained), as: UTF8.self))
        var recordsOf: [Int: [RecordKey]] = [:]
        for (key, id) in person where resolver.profile(of: key) != nil { recordsOf[id, default: []].append(key) }
        var missed: [String: (count: Int, score: Double)] = [:]
        for keys in recordsOf.values {
            for i in keys.indices {
                for j in keys.indices where j > i && resolver.profile(of: keys[i])!.id != resolver.profile(of: keys[j])!.id {
                    let e = resolver.explain(keys[i], keys[j])!
                    let label = "\(e.candidate ? "cand" : "nocand") \(e.conflict ? "conflict " : "")\(e.pattern)"
                    missed[label, default: (0, 0)].count += 1
                    missed[label]!.score = e.score
                }
            }
        }
        print("# missed true pairs by pattern (count, a score):")
        for (label, value) in missed.sorted(by: { $0.value.count > $1.value.count }).prefix(40) {
            print("#   \(value.count)  \(String(format: "%.1f", value.score))  \(label)")
        }
        var wrong: [String: Int] = [:]
        for profile in resolver.profiles where profile.records.count > 1 {
            for i in profile.records.indices {
                for j in profile.records.indices where j > i && person[profile.records[i]] != person[profile.records[j]] {
                    let e = resolver.explain(profile.records[i], profile.records[j])!
                    wrong["\(String(format: "%.1f", e.score)) \(e.pattern)", default: 0] += 1
                }
            }
        }
        print("# wrong pairs by pattern:")
        for (label, count) in wrong.sorted(by: { $0.value > $1.value }).prefix(20) { print("#   \(count)  \(label)") }
    }

    /// A generated record as the resolver takes it; created at a clock reading derived from its key.
    static func identityRecord(_ sample: SampleRecord) -> IdentityRecord {
        let key = RecordKey(unchecked: UnitID(unchecked: sample.unit), localId: sample.localId)
        var attributes: [AttributeName: [String]] = [:]
        for (name, value) in zip(SamplePopulation.attributeNames, sample.values) where !value.isEmpty {
            attributes[AttributeName(unchecked: name)] = [value]
        }
        var hash = SeededGenerator.mix(UInt64(sample.personId) &* 31 &+ SeededGenerator.mix(UInt64(sample.localId.utf8.count)))
        for b in Array(sample.unit.utf8) + Array(sample.localId.utf8) { hash = SeededGenerator.mix(hash ^ UInt64(b)) }
        let created = HLC(physicalMillis: 1_600_000_000_000 + hash % 100_000_000_000, logical: 0)
        return IdentityRecord(key: key, created: created, attributes: attributes)
    }
}

/// Pairwise and cluster quality against the truth.
///
/// Pairwise: a predicted pair is two records in one profile, a true pair two records of one person;
/// precision = |predicted ∩ true| / |predicted|, recall = |predicted ∩ true| / |true|.
/// Cluster: a profile is correct when its records are exactly all the records of one person;
/// precision = correct profiles / profiles, recall = correct profiles / persons with a record.
/// Blocking recall: the share of true pairs that are candidate pairs.
struct Quality {
    var pairPrecision = 0.0, pairRecall = 0.0, clusterPrecision = 0.0, clusterRecall = 0.0, blockingRecall = 0.0
    var pairF1: Double { f1(pairPrecision, pairRecall) }
    var clusterF1: Double { f1(clusterPrecision, clusterRecall) }

    init(resolver: IdentityResolver, person: [RecordKey: Int]) {
        var recordsOf: [Int: [RecordKey]] = [:]
        for (key, id) in person where resolver.profile(of: key) != nil { recordsOf[id, default: []].append(key) }
        let profiles = resolver.profiles
        var predicted = 0, truePositive = 0, correct = 0
        for profile in profiles {
            let size = profile.records.count
            predicted += size * (size - 1) / 2
            var byPerson: [Int: Int] = [:]
            for key in profile.records { byPerson[person[key]!, default: 0] += 1 }
            for count in byPerson.values { truePositive += count * (count - 1) / 2 }
            if byPerson.count == 1, let (id, count) = byPerson.first, recordsOf[id]!.count == count { correct += 1 }
        }
        var truePairs = 0, blocked = 0
        for keys in recordsOf.values {
            truePairs += keys.count * (keys.count - 1) / 2
            for i in keys.indices {
                for j in keys.indices where j > i && resolver.isCandidate(keys[i], keys[j]) { blocked += 1 }
            }
        }
        pairPrecision = predicted == 0 ? 1 : Double(truePositive) / Double(predicted)
        pairRecall = truePairs == 0 ? 1 : Double(truePositive) / Double(truePairs)
        clusterPrecision = Double(correct) / Double(max(1, profiles.count))
        clusterRecall = Double(correct) / Double(max(1, recordsOf.count))
        blockingRecall = truePairs == 0 ? 1 : Double(blocked) / Double(truePairs)
    }

    func f1(_ p: Double, _ r: Double) -> Double { p + r == 0 ? 0 : 2 * p * r / (p + r) }
}
