import AccordAPI
import AccordCrypto
import AccordModel
import AccordNode
import AccordStore
import Foundation

extension DemoCommand {
    /// Gives the dashboard something to show: consent decisions on some of the hub's customers
    /// (opt-ins, opt-outs, opt-downs, some expiring soon, spread over the last year, e-mail opt-outs
    /// followed by an SMS opt-in: channel shifts), two access
    /// requests and one erasure request.
    static func seedGovernance(_ node: Node) throws {
        let keys = try node.recordKeys(owner: node.unit, limit: 400)
        let channels = ["email", "sms", "phone", "mail"]
        let now = Int64(Node.wallClock())
        for (index, key) in keys.enumerated() {
            let channel = channels[index % channels.count]
            let optOut = index % 5 == 0 || (channel == "phone" && index % 3 == 0)
            let decision = ConsentDecision(
                choice: optOut ? .optOut : .optIn, frequency: !optOut && index % 7 == 0 ? "monthly" : nil, expressed: true,
                decidedAtMillis: now - Int64(index % 12) * 30 * 86_400_000 - Int64(index) * 60_000, method: "web-form", noticeVersion: "2026-01",
                noticeHash: [], expiresAtMillis: index % 10 == 3 ? now + Int64(5 + index % 20) * 86_400_000 : nil, collectedBy: node.unit)
            try node.recordConsent(localId: key.localId, topic: try ConsentTopic(channel: channel, purpose: "marketing", scope: .unit(node.unit)),
                                   decision: decision, operatorName: "demo")
            if optOut && channel == "email" {
                // A channel shift: out of e-mail, into SMS two days later (or now).
                try node.recordConsent(localId: key.localId, topic: try ConsentTopic(channel: "sms", purpose: "marketing", scope: .unit(node.unit)),
                                       decision: ConsentDecision(choice: .optIn, expressed: true, decidedAtMillis: min(now, decision.decidedAtMillis + 2 * 86_400_000),
                                                                 method: "web-form", noticeVersion: "2026-01", noticeHash: [], collectedBy: node.unit),
                                       operatorName: "demo")
            }
            if index % 40 == 0 {
                try node.recordConsent(localId: key.localId, topic: try ConsentTopic(channel: "all", purpose: "all", scope: .company),
                                       decision: ConsentDecision(choice: .optOut, expressed: true, decidedAtMillis: now, method: "call-center",
                                                                 noticeVersion: "2026-01", noticeHash: [], collectedBy: node.unit), operatorName: "demo")
            }
        }
        for key in keys.prefix(2) { _ = try node.exportSubject(localId: key.localId, owner: key.unit, operatorName: "demo") }
        if let last = keys.last { _ = try node.requestErasure([.record(last)], reference: "DSR-2026-0042") }
    }

    /// Saves a segment on the node serving the dashboard (the hub's customers, for e-mail
    /// marketing) and records its figures; called after convergence and again after the tour's
    /// consent changes, so the segments page shows two real recordings and the movements between.
    /// The first call also answers two access requests there (the privacy page lists them).
    static func recordSegment(_ federation: LocalFederation, on unit: String, hub: String) throws {
        guard federation.waitForConvergence(timeout: 120) else { throw NodeError(.storage, "the nodes did not converge within 120 s") }
        try federation.running[unit]!.engine.withNode { node in
            if try node.savedSegments().isEmpty {
                try node.saveSegment(name: "newsletter", expression: "known_to(\(hub))", unit: try UnitID(hub), channel: "email",
                                     purpose: "marketing", operatorName: "demo")
            }
            _ = try node.recordSegmentFigures()
            // The governance team answers access requests centrally: two, on the node serving the dashboard.
            if unit != hub, try node.store.auditEntries(action: "subject.export", limit: 1).isEmpty {
                for key in try node.recordKeys(owner: try UnitID(hub), limit: 2) {
                    _ = try node.exportSubject(localId: key.localId, owner: key.unit, operatorName: "demo")
                }
            }
        }
    }
}
