import AccordConsolidation
import AccordPolicy
import Foundation

/// What `accord match train` estimated, and the proposal it wrote.
public struct MatchTrainingResult: Sendable {
    /// The proposed policy document: the node's policy, next version, unsigned, with the trained
    /// parameters in `identityResolution.parameters`.
    public var proposal: [UInt8]
    /// The proposal's version.
    public var version: Int
    /// Records trained on.
    public var records: Int
    /// Candidate pairs compared.
    public var pairs: Int
    /// EM's estimate of the share of matches among the candidate pairs.
    public var candidateMatchShare: Double
    /// EM iterations run.
    public var iterations: Int
    /// Whether EM converged.
    public var converged: Bool
}

extension Node {
    /// Estimates the m/u parameters on every record this node holds, without labels (EM), and makes
    /// a policy proposal carrying them for the governance team to review and sign (`accord policy sign`).
    /// - Parameter randomPairs: random pairs that estimate `u`.
    /// - Throws: ``NodeError`` `.notFound` when the node holds no records, `.storage`, `.invalidPolicy`.
    public func trainMatchParameters(randomPairs: Int = 200_000) throws -> MatchTrainingResult {
        let records: [IdentityRecord]
        do {
            records = try ProfileMaintainer.loadAll(store).records
        } catch {
            throw NodeError(.storage, "cannot read the records", cause: error)
        }
        guard records.count >= 2 else { throw NodeError(.notFound, "the node holds \(records.count) records; training needs some") }
        let parameters = MatchTrainer.train(records: records, rules: policy.resolutionRules, start: policy.matchParameters,
                                            randomPairs: randomPairs, threads: 2)
        let path = Self.resolve(config.policy, in: directory)
        guard var document = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any],
              let trained = try? JSONSerialization.jsonObject(with: Data(ConsolidationJSON.encode(parameters)))
        else { throw NodeError(.invalidPolicy, "cannot read the policy document \(path)") }
        let version = policy.version + 1
        document["version"] = version
        document["signature"] = nil
        var section = document["identityResolution"] as? [String: Any] ?? [:]
        section["parameters"] = trained
        document["identityResolution"] = section
        let proposal: [UInt8]
        do {
            proposal = Array(try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            _ = try Policy.parse(proposal, source: "proposal")
        } catch {
            throw NodeError(.invalidPolicy, "the proposal is not a valid policy", cause: error)
        }
        let summary = parameters.training
        return MatchTrainingResult(proposal: proposal, version: version, records: records.count, pairs: summary?.pairs ?? 0,
                                   candidateMatchShare: summary?.candidateMatchShare ?? 0, iterations: summary?.iterations ?? 0,
                                   converged: summary?.converged ?? false)
    }
}
