import AccordModel
import Foundation

/// Estimates ``MatchParameters`` from the data alone, without labels.
///
/// - `u` (how often each level occurs between two *different* people) is counted over random record
///   pairs: among n records only about one pair in n/2 is a match, so random pairs are non-matches
///   for all practical purposes.
/// - `m` (how often each level occurs between two records of the *same* person) and the share of
///   matches are fitted by expectation-maximization to the comparison patterns of the candidate
///   pairs, with `u` held fixed (letting `u` float too lets EM spend its second class on correlated
///   corruption, such as a move changing street and postcode together, instead of on non-matches).
/// - The prior is the share of matches among *all* pairs (EM's share among candidates, times the
///   candidates, over all pairs), because `u` is a property of all pairs too.
/// - Term frequencies of given and family names are counted over the records.
public enum MatchTrainer {
    /// Random pairs counted for `u` by default.
    public static let defaultRandomPairs = 1_000_000

    /// Trains parameters on `records`.
    /// - Parameters:
    ///   - records: the records (their keys and values; nothing else is used).
    ///   - rules: the rules (blocking, comparisons, term-frequency settings).
    ///   - start: EM's starting point for `m` and the prior (default ``MatchParameters/untrained``).
    ///   - randomPairs: how many random pairs estimate `u`.
    ///   - threads: worker threads.
    /// - Returns: the parameters, with a ``TrainingSummary``.
    public static func train(
        records: [IdentityRecord], rules: ResolutionRules, start: MatchParameters = .untrained,
        randomPairs: Int = defaultRandomPairs, threads: Int = Parallel.defaultThreads
    ) -> MatchParameters {
        var resolver = IdentityResolver(rules: rules, parameters: start)
        let pairs = resolver.index(records, threads: threads)
        let comparisons = resolver.compareAll(pairs, threads: threads)
        return parameters(comparisons: comparisons, resolver: resolver, rules: rules, start: start, randomPairs: randomPairs, threads: threads)
    }

    static func parameters(
        comparisons: [PairComparison], resolver: IdentityResolver, rules: ResolutionRules, start: MatchParameters,
        randomPairs: Int, threads: Int
    ) -> MatchParameters {
        var counts: [ComparisonPattern: Int] = [:]
        for comparison in comparisons { counts[comparison.pattern, default: 0] += 1 }
        var initial = start
        let u = randomPairLevels(resolver, pairs: randomPairs, threads: threads)
        for f in initial.fields.indices {
            for l in initial.fields[f].levels.indices { initial.fields[f].levels[l].u = u[f][l] }
        }
        let fit = estimate(patternCounts: counts, start: initial, fixedU: true)
        var result = fit.parameters
        let n = Double(resolver.recordCount)
        let allPairs = max(1, n * (n - 1) / 2)
        let candidateShare = fit.parameters.matchPrior
        result.matchPrior = significant(min(0.5, max(1e-12, candidateShare * Double(comparisons.count) / allPairs)))
        result.termFrequencies = termFrequencies(resolver.space, rules.termFrequency)
        result.training = TrainingSummary(
            records: resolver.recordCount, pairs: comparisons.count, randomPairs: randomPairs, candidateMatchShare: candidateShare,
            iterations: fit.iterations, converged: fit.converged)
        return result
    }

    /// Records random pairs are drawn from at most (a random subset of the held records).
    static let sampleRecords = 50_000

    /// Level probabilities per field over `pairs` random pairs of held records (chosen by a fixed
    /// seed over the records in stable-hash order, so the same records give the same estimate), with
    /// half a pair added to every level so none is zero.
    static func randomPairLevels(_ resolver: IdentityResolver, pairs: Int, threads: Int) -> [[Double]] {
        let fields = ComparisonField.allCases
        let held = resolver.records.compactMap { $0 }
        guard held.count >= 2, pairs > 0 else {
            return fields.map { field in field.levels.map { _ in 1 / Double(field.levels.count) } }
        }
        // A random subset of records (the first in stable-hash order), small enough to stay in cache;
        // pairs drawn within it are random pairs of the whole set all the same.
        let hashes = held.map { StableHash.string($0.key.unit.rawValue, seed: StableHash.string($0.key.localId)) }
        let order = Array(
            held.indices.sorted { hashes[$0] != hashes[$1] ? hashes[$0] < hashes[$1] : held[$0].key < held[$1].key }
                .prefix(sampleRecords))
        let sample = order.map { held[$0] }
        let space = resolver.space
        let chunks = max(1, min(64, pairs / 10_000))
        let counted = Parallel.map(chunks, threads: threads) { chunk -> [Int] in
            var counts = [Int](repeating: 0, count: fields.count * 8)
            let cache = NameLevelCache()
            var rng = SplitMix(seed: 0x5EED_0F_0A1B ^ UInt64(chunk) &* 0x9E37_79B9_7F4A_7C15)
            let share = pairs * (chunk + 1) / chunks - pairs * chunk / chunks
            sample.withUnsafeBufferPointer { records in
                for _ in 0..<share {
                    let i = rng.below(records.count)
                    var j = rng.below(records.count - 1)
                    if j >= i { j += 1 }
                    let pattern = PairComparer.compare(records[i], records[j], in: space, cache: cache).pattern
                    for f in fields.indices { counts[f * 8 + Int(pattern.code(f))] += 1 }
                }
            }
            return counts
        }
        return fields.indices.map { f in
            let levels = fields[f].levels
            let raw = levels.map { level in counted.reduce(0.5) { $0 + Double($1[f * 8 + Int(level.code)]) } }
            let total = raw.reduce(0, +)
            return raw.map { significant($0 / total) }
        }
    }

    /// Fits `λ` and `m` (and `u`, unless `fixedU`) to counted comparison patterns by
    /// expectation-maximization.
    /// - Parameters:
    ///   - patternCounts: how many pairs showed each pattern.
    ///   - start: the starting point (its term frequencies are kept; with `fixedU`, its `u` are the answer).
    ///   - fixedU: keep `start`'s `u` and fit only `λ` and `m`.
    ///   - maxIterations: iteration limit.
    ///   - tolerance: stop when no probability changes by more than this.
    /// - Returns: the parameters (probabilities rounded to 6 significant digits), iterations run, and
    ///   whether the tolerance was reached.
    public static func estimate(
        patternCounts: [ComparisonPattern: Int], start: MatchParameters, fixedU: Bool = false, maxIterations: Int = 1000,
        tolerance: Double = 1e-7
    ) -> (parameters: MatchParameters, iterations: Int, converged: Bool) {
        let fields = ComparisonField.allCases
        let patterns = patternCounts.keys.sorted()
        let counts = patterns.map { Double(patternCounts[$0]!) }
        let total = counts.reduce(0, +)
        guard total > 0 else { return (start, 0, true) }
        var lambda = start.matchPrior
        var m = fields.map { field in start.probabilities(field).map(\.m) }
        var u = fields.map { field in start.probabilities(field).map(\.u) }
        // Position in the field's level list of each 3-bit level code (-1: missing or not a level of the field).
        let position: [[Int]] = fields.map { field in
            var table = [Int](repeating: -1, count: 8)
            for (index, level) in field.levels.enumerated() { table[Int(level.code)] = index }
            return table
        }
        let floor = 1e-6
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            var am = fields.map { [Double](repeating: 0, count: $0.levels.count) }
            var au = am
            var matches = 0.0
            for (pattern, n) in zip(patterns, counts) {
                var pm = lambda, pu = 1 - lambda
                for f in fields.indices {
                    let l = position[f][Int(pattern.code(f))]
                    if l < 0 { continue }
                    pm *= m[f][l]
                    pu *= u[f][l]
                }
                let g = pm / (pm + pu)
                let w = n * g
                matches += w
                for f in fields.indices {
                    let l = position[f][Int(pattern.code(f))]
                    if l < 0 { continue }
                    am[f][l] += w
                    au[f][l] += n - w
                }
            }
            var change = 0.0
            let nextLambda = min(1 - floor, max(floor, matches / total))
            change = max(change, abs(nextLambda - lambda))
            lambda = nextLambda
            for f in fields.indices {
                let nextM = normalized(am[f], floor: floor), nextU = fixedU ? u[f] : normalized(au[f], floor: floor)
                for l in nextM.indices {
                    change = max(change, abs(nextM[l] - m[f][l]), abs(nextU[l] - u[f][l]))
                }
                m[f] = nextM
                u[f] = nextU
            }
            if change < tolerance {
                converged = true
                break
            }
        }
        // The "match" class is the one where exact agreement is likelier: swap if EM found it the other way.
        let orientation = fields.indices.reduce(0.0) { $0 + log2(m[$1][0] / u[$1][0]) }
        if orientation < 0, !fixedU {
            swap(&m, &u)
            lambda = 1 - lambda
        }
        var result = start
        result.matchPrior = significant(lambda)
        result.fields = fields.indices.map { f in
            FieldProbabilities(fields[f], m: m[f].map(significant), u: u[f].map(significant))
        }
        return (result, iterations, converged)
    }

    /// Counts normalized to probabilities, none below `floor`.
    static func normalized(_ counts: [Double], floor: Double) -> [Double] {
        let sum = counts.reduce(0, +)
        guard sum > 0 else { return counts.map { _ in 1 / Double(counts.count) } }
        let raw = counts.map { max(floor, $0 / sum) }
        let again = raw.reduce(0, +)
        return raw.map { $0 / again }
    }

    /// `x` rounded to 6 significant digits (so the JSON form stays short and stable).
    static func significant(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x }
        let scale = pow(10, 5 - floor(log10(x)))
        return (x * scale).rounded() / scale
    }

    /// Term-frequency tables of given and family names over the held records.
    static func termFrequencies(_ space: FeatureSpace, _ rules: TermFrequencyRules) -> [TermFrequencyTable] {
        var tables: [TermFrequencyTable] = []
        func table(_ field: ComparisonField, _ counts: [Int32]) -> TermFrequencyTable? {
            let total = Double(counts.reduce(0) { $0 + Int($1) })
            guard total > 0 else { return nil }
            var squares: [Double] = []
            var values: [String: Double] = [:]
            for (id, count) in counts.enumerated() where count > 0 {
                let f = Double(count) / total
                squares.append(f * f)
                if Int(count) >= rules.minimumCount { values[space.names.string(Int32(id))] = significant(f) }
            }
            let average = squares.sorted().reduce(0, +)  // summed in value order: the same on every node
            return TermFrequencyTable(
                field: field, averageAgreement: significant(average), rareFrequency: significant(min(1, Double(rules.minimumCount) / total)),
                values: values)
        }
        if rules.givenName, let t = table(.givenName, space.givenCount) { tables.append(t) }
        if rules.familyName, let t = table(.familyName, space.familyCount) { tables.append(t) }
        return tables
    }
}
