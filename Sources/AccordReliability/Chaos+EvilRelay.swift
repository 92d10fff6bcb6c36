import Foundation

/// The evil relay's part of `accord-reliability chaos`: one link of the mesh (the second unit
/// dialing the first) goes through an ``EvilRelay`` instead of a ``LinkProxy``; the fault "evil"
/// switches it to evil mode for 1-4 s; after the schedules, the checks that nothing it tampered
/// with was applied and that each tampered batch was refused for its signature.
extension Chaos {
    /// What the tampering checks found.
    struct TamperingFindings {
        /// Tampered copies (by digest) stored on any node.
        var applied = 0
        /// Batches stored on any node that fail their author's signature (`accord verify`).
        var unverified = 0
        /// Tampered batches the receiving node recorded as refused for their signature.
        var refused = 0
        /// Tampered batches written before any hello of their session: the receiver closes the session
        /// at the first frame that is not a hello and never reads them (not refused, not applied).
        var beforeHello = 0
        /// Tampered batches written to a node after the session's hello that it did not record as
        /// refused for their signature.
        var unrefused = 0
        /// Tampered batches written less than ``inFlightWindow`` before their connection closed:
        /// the receiver may have been killed or cut off before it read or recorded them (never
        /// applied: ``applied`` checks that); not counted as a failure.
        var inFlightAtClose = 0

        /// Findings that are defects.
        var failures: Int { applied + unverified + unrefused }
    }

    /// The link `dialer>listener` of the mesh: the evil relay for the second unit dialing the first,
    /// a plain TCP relay for every other link.
    func makeLink(dialer: String, listener: String, cluster: Cluster) throws -> any ChaosLink {
        let target = cluster.ports[listener]!
        guard cluster.units.count >= 2, dialer == cluster.units[1], listener == cluster.units[0] else {
            return try LinkProxy(targetPort: target)
        }
        return try EvilRelay(
            dialer: dialer, listener: listener, targetPort: target, authority: cluster.authority,
            directory: cluster.directory + "/scratch/evil-relay", seed: seed &+ 0x5EED)
    }

    /// The fault "evil": the evil relay mangles frames for 1-4 s, then relays faithfully again.
    func injectEvil(_ random: inout SeededRandom, links: [String: any ChaosLink], counts: inout FaultCounts) {
        guard let relay = links.values.lazy.compactMap({ $0 as? EvilRelay }).first else { return }
        relay.setEvil(true)
        counts.evil += 1
        Thread.sleep(forTimeInterval: random.uniform(1, 4))
        relay.setEvil(false)
    }

    /// How close before its connection's end a tampered batch counts as in flight at the close.
    static let inFlightWindow = 2.0

    /// After the schedules (every node serving, converged): no node stores a tampered copy or a
    /// batch failing its signature, and each node that was sent a tampered batch recorded it as
    /// refused for its signature (`accord rejected --json`).
    func auditTampering(links: [String: any ChaosLink], cluster: Cluster, units: [String]) throws -> TamperingFindings {
        var findings = TamperingFindings()
        guard let relay = links.values.lazy.compactMap({ $0 as? EvilRelay }).first else { return findings }
        let tampered = relay.tampered
        let tamperedHashes = Set(tampered.compactMap(\.hash))
        for unit in units {
            let audit = try StoreAudit.read(node: cluster.path(unit))
            for (stream, hashes) in audit.hashes {
                for (sequence, hash) in hashes where tamperedHashes.contains(hash) {
                    findings.applied += 1
                    Figures.note("\(unit) stores a tampered copy of \(stream)#\(sequence)")
                }
            }
            let verify = try cluster.run(unit, ["verify", "--json"], timeout: 120)
            let report = (try? JSONSerialization.jsonObject(with: Data(verify.stdout.utf8))) as? [String: Any]
            let problems = report?["problems"] as? [String] ?? ["accord verify --json printed no report: \(verify.stderr.suffix(200))"]
            let unsigned = problems.filter { $0.contains("is not signed by") }
            findings.unverified += unsigned.count
            unsigned.prefix(3).forEach { Figures.note("\(unit): \($0)") }
        }
        for receiver in Set(tampered.map(\.receiver)).sorted() {
            var refusals = try signatureRefusals(of: receiver, cluster: cluster)
            for batch in tampered where batch.receiver == receiver {
                if batch.beforeHello {
                    findings.beforeHello += 1
                    continue
                }
                let key = "\(batch.stream)#\(batch.sequence)"
                if let left = refusals[key], left > 0 {
                    refusals[key] = left - 1
                    findings.refused += 1
                } else if let closed = relay.closedAt(batch.connection), closed.timeIntervalSince(batch.at) < Self.inFlightWindow {
                    findings.inFlightAtClose += 1
                    Figures.note("\(receiver): the tampered \(key) went out \(String(format: "%.2f", closed.timeIntervalSince(batch.at))) s "
                                 + "before its connection closed; not recorded as refused (not applied either)")
                } else {
                    findings.unrefused += 1
                    Figures.note("\(receiver) did not record the tampered \(key) as refused for its signature")
                }
            }
        }
        return findings
    }

    /// A node's refused batches whose reason is a failed signature, counted by `stream#sequence`.
    private func signatureRefusals(of unit: String, cluster: Cluster) throws -> [String: Int] {
        let result = try cluster.run(unit, ["rejected", "--json", "--limit", "100000"], timeout: 60)
        guard result.ok, let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any],
              let batches = object["batches"] as? [[String: Any]]
        else { throw HarnessError("accord rejected --json on \(unit) failed: \(result.stderr.suffix(300))") }
        var counts: [String: Int] = [:]
        for batch in batches {
            guard let reason = batch["reason"] as? String, reason.contains("is not signed by"),
                  let stream = batch["stream"] as? String, let sequence = batch["sequence"] as? Int else { continue }
            counts["\(stream)#\(sequence)", default: 0] += 1
        }
        return counts
    }

    /// Prints the evil relay's figures and the tampering checks.
    func printEvilFigures(links: [String: any ChaosLink], counts: FaultCounts, tampering: TamperingFindings) {
        guard let relay = links.values.lazy.compactMap({ $0 as? EvilRelay }).first else { return }
        let done = relay.counts
        Figures.print("chaos.faults.evil", counts.evil, "faults")
        Figures.print("chaos.evil_link", "\(relay.dialer)>\(relay.listener)")
        Figures.print("chaos.evil_connections", done.connections, "connections")
        Figures.print("chaos.evil_forwarded", done.forwarded, "frames")
        Figures.print("chaos.evil_dropped", done.dropped, "frames")
        Figures.print("chaos.evil_duplicated", done.duplicated, "frames")
        Figures.print("chaos.evil_reordered", done.reordered, "frames")
        Figures.print("chaos.evil_delayed", done.delayed, "frames")
        Figures.print("chaos.evil_tampered", done.tampered, "frames")
        Figures.print("chaos.evil_malformed", done.malformed, "frames")
        Figures.print("chaos.evil_tampered_refused", tampering.refused, "batches")
        Figures.print("chaos.evil_tampered_before_hello", tampering.beforeHello, "batches")
        Figures.print("chaos.evil_tampered_in_flight_at_close", tampering.inFlightAtClose, "batches")
        Figures.print("chaos.evil_tampered_unrefused", tampering.unrefused, "batches")
        Figures.print("chaos.evil_tampered_applied", tampering.applied, "batches")
        Figures.print("chaos.unverified_batches_stored", tampering.unverified, "batches")
    }
}
