import AccordAPI
import AccordModel
import AccordNode
import Foundation

/// The steps of `accord demo`'s tour that act on the running federation: a consent decision and
/// how each unit may use it, an erasure acknowledged by every unit, the API for the governance team.
enum DemoTour {
    /// Records, on `hub`'s customer, a company-wide opt-in to e-mail marketing a month ago and a
    /// retail-only opt-out today; then asks another node what each unit may do.
    static func consent(_ federation: LocalFederation, hub: String, asker: String, units: [String], step: Int) throws {
        guard let hubEngine = federation.running[hub]?.engine, let askerEngine = federation.running[asker]?.engine else { return }
        guard let record = try hubEngine.withNode({ try $0.recordKeys(owner: $0.unit, limit: 2).last }) else { return }
        let now = Int64(Node.wallClock())
        let day: Int64 = 86_400_000
        try hubEngine.withNode { node in
            for (scope, choice, decided) in [(ConsentScope.company, ConsentDecision.Choice.optIn, now - 30 * day),
                                             (.unit(node.unit), .optOut, now)] {
                let topic = try ConsentTopic(channel: "email", purpose: "marketing", scope: scope)
                let decision = ConsentDecision(choice: choice, expressed: true, decidedAtMillis: decided, method: "web-form",
                                               noticeVersion: "2026-01", noticeHash: [], collectedBy: node.unit)
                _ = try node.recordConsent(localId: record.localId, topic: topic, decision: decision, operatorName: "demo")
            }
        }
        hubEngine.noteChange()
        Output.line("\(step). Consent: \(record)'s customer opted in to e-mail marketing company-wide a month ago, and out at \(hub) only today.")
        Output.line("   Asked on \(asker)'s node (accord consent check \(record.localId) --owner \(hub) --unit U --channel email --purpose marketing):")
        let deadline = Date().addingTimeInterval(20)
        var seen = false
        while !seen && Date() < deadline {
            let entries = (try? askerEngine.withNode { try $0.consentEntries(localId: record.localId, owner: record.unit) }) ?? []
            seen = entries.filter { $0.topic.channel == "email" && $0.topic.purpose == "marketing" }.count >= 2
            if !seen { Thread.sleep(forTimeInterval: 0.05) }
        }
        for unit in units {
            let verdict = try askerEngine.withNode { node in
                try node.checkConsent(localId: record.localId, owner: record.unit, unit: UnitID(unit), channel: "email", purpose: "marketing")
            }
            Output.line("   \(unit.padding(toLength: 10, withPad: " ", startingAt: 0)) \(verdict.allowed ? "allowed" : "denied "): \(verdict.reason)")
        }
    }

    /// Erases one of `hub`'s customers on every node and waits for every unit's acknowledgement.
    static func erasure(_ federation: LocalFederation, hub: String, step: Int) throws {
        guard let engine = federation.running[hub]?.engine else { return }
        guard let record = try engine.withNode({ try $0.recordKeys(owner: $0.unit, limit: 3).last }) else { return }
        let report = try engine.withNode { try $0.requestErasure([.record(record)], reference: "demo ticket 1") }
        engine.noteChange()
        guard let name = report.request else { return }
        Output.line("\(step). Erasure: \(hub) asks every unit to erase the person of \(record) (\(report.records.count) records found by "
            + "identifiers; accord erase status \(name)):")
        let started = Date()
        var status: ErasureStatus?
        while Date().timeIntervalSince(started) < 30 {
            status = try engine.withNode { try $0.erasureStatus(name) }
            if status?.isComplete == true { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        for unit in status?.units ?? [] {
            let state = unit.acknowledgement.map { "acknowledged, \($0.records.count) records, \($0.entriesRemoved) entries removed" } ?? "pending"
            Output.line("   \(unit.unit.padding(toLength: 10, withPad: " ", startingAt: 0)) \(state)")
        }
        Output.line(String(format: "   %@ in %.2f s", status?.isComplete == true ? "acknowledged by every unit" : "NOT acknowledged by every unit yet",
                           Date().timeIntervalSince(started)))
    }

    /// Starts the HTTPS API and the dashboard on the governance node, prints their address and a
    /// viewer token, and writes a governance token to `DIR/dashboard-token` (mode 0600) and the
    /// address to `DIR/dashboard-url` (for ops/metrics-check.sh and ops/dashboard-screenshot.sh).
    static func api(_ federation: LocalFederation, unit: String, listen: (host: String, port: UInt16), directory: String,
                    logger: Logger, step: Int) throws -> APIServer? {
        guard let served = federation.running[unit] else { return nil }
        let (viewer, governance) = try served.engine.withNode { node in
            (try node.createToken(role: .viewer, name: "demo-viewer", operatorName: "demo"),
             try node.createToken(role: .governance, name: "demo-governance", operatorName: "demo"))
        }
        let tokenPath = (directory as NSString).appendingPathComponent("dashboard-token")
        guard FileManager.default.createFile(atPath: tokenPath, contents: Data((governance.secret + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw NodeError(.storage, "cannot write \(tokenPath)")
        }
        let server = try APIServer(engine: served.engine, logger: logger, peers: { [service = served.service] in service.peerStatus() })
        let port = try server.start(host: listen.host, port: listen.port)
        let base = "https://\(listen.host):\(port)"
        try Data((base + "\n").utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("dashboard-url")))
        let ca = federation.path(unit) + "/tls/ca.pem"
        Output.line("\(step). The governance team's view, on \(unit)'s node (CA for your browser or curl: \(ca)):")
        Output.line("   dashboard: \(base)/dashboard   (sign in with the governance token in \(tokenPath))")
        Output.line("   viewer token: \(viewer.secret)")
        Output.line("   curl --cacert \(ca) -H 'Authorization: Bearer \(viewer.secret)' \(base)/v1/status")
        return server
    }
}
