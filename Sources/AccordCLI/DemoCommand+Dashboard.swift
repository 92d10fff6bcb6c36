import AccordAPI
import AccordCrypto
import AccordModel
import AccordNode
import Foundation

extension DemoCommand {
    /// Gives the dashboard something to show: consent decisions on some of the hub's customers
    /// (opt-ins, opt-outs, opt-downs, some expiring soon, spread over the last year), two access
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
            if index % 40 == 0 {
                try node.recordConsent(localId: key.localId, topic: try ConsentTopic(channel: "all", purpose: "all", scope: .company),
                                       decision: ConsentDecision(choice: .optOut, expressed: true, decidedAtMillis: now, method: "call-center",
                                                                 noticeVersion: "2026-01", noticeHash: [], collectedBy: node.unit), operatorName: "demo")
            }
        }
        for key in keys.prefix(2) { _ = try node.exportSubject(localId: key.localId, owner: key.unit, operatorName: "demo") }
        if let last = keys.last { _ = try node.requestErasure([.record(last)], reference: "DSR-2026-0042") }
    }

    /// Serves the hub's HTTPS API (and so the dashboard) on `listen`, with a new governance token
    /// written to `DIR/dashboard-token` (mode 0600) and the API's address to `DIR/dashboard-url`.
    static func serveAPI(_ served: LocalFederation.Served, node: String, listen: (host: String, port: UInt16), directory: String) throws -> (APIServer, UInt16, String) {
        let token = try served.engine.withNode { try $0.createToken(role: .governance, name: "demo-governance", operatorName: "demo") }
        let path = (directory as NSString).appendingPathComponent("dashboard-token")
        guard FileManager.default.createFile(atPath: path, contents: Data((token.secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw NodeError(.storage, "cannot write \(path)")
        }
        let service = served.service
        let server = try APIServer(engine: served.engine, logger: Logger(minimum: .warning), peers: { service.peerStatus() })
        let port = try server.start(host: listen.host, port: listen.port)
        // For scripts (ops/dashboard-screenshot.sh, ops/metrics-check.sh): written once the API listens.
        try Data("https://\(listen.host):\(port)\n".utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("dashboard-url")))
        Output.line("6. The HTTPS API and the governance dashboard of \(node): https://\(listen.host):\(port)/dashboard")
        Output.line("   Sign in with the governance token in \(path) (CA: \(directory)/\(node)/tls/ca.pem)")
        Output.line("   Metrics: curl --cacert \(directory)/\(node)/tls/ca.pem -H \"Authorization: Bearer $(cat \(path))\" https://\(listen.host):\(port)/metrics")
        return (server, port, path)
    }
}
