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
            seen = (try? askerEngine.withNode { try $0.consentEntries(localId: record.localId, owner: record.unit).count }) == 2
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

    /// Starts the HTTPS API on the governance node and prints its address and a viewer token.
    static func api(_ federation: LocalFederation, unit: String, logger: Logger, step: Int) throws -> APIServer? {
        guard let served = federation.running[unit] else { return nil }
        let server = try APIServer(engine: served.engine, logger: logger, peers: { [service = served.service] in service.peerStatus() })
        let port = try server.start(host: "127.0.0.1", port: 0)
        let token = try served.engine.withNode { try $0.createToken(role: .viewer, name: "demo-viewer", operatorName: "demo") }
        let ca = federation.path(unit) + "/tls/ca.pem"
        Output.line("\(step). The governance team's view: the HTTPS API of \(unit)'s node on https://127.0.0.1:\(port)/ (viewer token below)")
        Output.line("   token: \(token.secret)")
        Output.line("   curl --cacert \(ca) -H 'Authorization: Bearer \(token.secret)' https://127.0.0.1:\(port)/v1/status")
        return server
    }
}
