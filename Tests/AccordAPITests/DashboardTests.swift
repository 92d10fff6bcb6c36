import AccordAPI
import AccordHTTP
import AccordModel
import AccordNode
import AccordStore
import Foundation
import Testing

@Suite("HTTPS API: metrics and the governance dashboard")
struct DashboardTests {
    static func fixture(withPeer: Bool = false) throws -> APIFixture {
        try APIFixture(withPeer: withPeer) { $0.dashboardFiguresMaxAge = 0 }
    }

    /// A header's value in a curl `-D` dump.
    static func header(_ name: String, in headers: String) -> String? {
        headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    @Test("/metrics: Prometheus text for viewers and the unit's systems, strictly well-formed, with the node's figures")
    func metrics() throws {
        let fixture = try Self.fixture(withPeer: true)
        let deadline = Date().addingTimeInterval(10)
        while fixture.retail.service.peerStatus().first?.connected != true && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        // Insurance writes a record (retail applies its batch) and an import runs through the API.
        let insurance = try #require(fixture.federation.running["insurance"])
        _ = try insurance.engine.withNode { try $0.write(localId: "I-1", values: ["given_name": .text("Ines")]) }
        insurance.engine.noteChange()
        while fixture.retail.engine.counters.snapshot().batchesApplied == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let csv = "id,given_name,email\nR-1,Rita,rita@example.com\nR-2,Rolf,not-an-email\n"
        #expect(try fixture.call("POST", "/v1/import", as: fixture.token(.admin), body: Array(csv.utf8), contentType: "text/csv").status == 200)
        #expect(try fixture.call("GET", "/metrics", as: .anonymous).status == 401)
        #expect(try fixture.call("GET", "/metrics", as: .unit("insurance")).status == 403)
        #expect(try fixture.call("GET", "/metrics", as: .unit("retail")).status == 200)
        let reply = try fixture.call("GET", "/metrics", as: fixture.token(.viewer))
        #expect(reply.status == 200)
        #expect(Self.header("Content-Type", in: reply.headers) == "text/plain; version=0.0.4; charset=utf-8")
        let parsed = PrometheusFormat(reply.body)
        #expect(parsed.problems == [], "\(parsed.problems)\n\(reply.body)")
        #expect(parsed.value("accord_policy_version") == 1)
        #expect(parsed.value("accord_records") == 5, "three seeded, one from insurance, one imported")
        #expect(parsed.samples.contains { $0.name == "accord_info" && $0.labels["unit"] == "retail" && $0.value == 1 })
        #expect(parsed.value("accord_peers_connected") == 1)
        #expect(parsed.value("accord_peer_connected", ["peer": "insurance"]) == 1)
        #expect(parsed.value("accord_peer_policy_version", ["peer": "insurance"]) == 1)
        #expect(parsed.samples.contains { $0.name == "accord_peer_lag_batches" && $0.labels["peer"] == "insurance" && $0.labels["direction"] == "we_lack" })
        #expect(parsed.value("accord_refused_batches", ["reason": "membership"]) == 0)
        #expect(parsed.value("accord_erasure_requests", ["state": "pending"]) == 0)
        #expect((parsed.value("accord_batches", ["author": "retail"]) ?? 0) >= 1)
        #expect((parsed.value("accord_http_requests_total", ["route": "/metrics", "code": "200"]) ?? 0) >= 1)
        #expect((parsed.value("accord_http_requests_total", ["route": "/metrics", "code": "401"]) ?? 0) == 1)
        #expect(parsed.types["accord_http_request_duration_seconds"] == "histogram")
        // What the engine applied from insurance, and how long it took.
        let applied = try #require(parsed.value("accord_sync_batches_total", ["outcome": "applied"]))
        #expect(applied >= 1)
        #expect(parsed.value("accord_sync_batches_total", ["outcome": "refused"]) == 0)
        #expect((parsed.value("accord_sync_entries_total", ["outcome": "applied"]) ?? 0) >= 1)
        #expect(parsed.types["accord_sync_apply_duration_seconds"] == "histogram")
        #expect(parsed.value("accord_sync_apply_duration_seconds_count") == applied)
        #expect(parsed.value("accord_sync_apply_duration_seconds_bucket", ["le": "+Inf"]) == applied)
        #expect(parsed.value("accord_sync_refused_batches_total", ["reason": "signature"]) == 0)
        // The import: two rows read, one refused (not an email), one record written.
        #expect(parsed.value("accord_imports_total") == 1)
        #expect(parsed.value("accord_import_rows_total", ["outcome": "read"]) == 2)
        #expect(parsed.value("accord_import_rows_total", ["outcome": "rejected"]) == 1)
        #expect(parsed.value("accord_import_records_written_total") == 1)
        #expect(parsed.value("accord_import_entries_written_total") == 2)
        #expect(!reply.body.contains("Ada") && !reply.body.contains("example.com"), "personal data in the metrics")
        // The checker finds what is off.
        #expect(!PrometheusFormat("x 1").problems.isEmpty)
        #expect(!PrometheusFormat("# TYPE x gauge\nx{a=\"\\q\"} 1\n").problems.isEmpty)
        #expect(!PrometheusFormat("# TYPE x counter\nx -1\n").problems.isEmpty)
        #expect(!PrometheusFormat("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx 2\n").problems.isEmpty)
        #expect(!PrometheusFormat("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n").problems.isEmpty)
        // promtool, where it is installed (ops/metrics-check.sh installs it from Debian's prometheus package).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") {
            let checked = try runProcess(["promtool", "check", "metrics"], stdin: Array(reply.body.utf8))
            #expect(checked.status == 0, "promtool: \(checked.stdout) \(checked.stderr)")
        }
        try fixture.checkAgainstOpenAPI()
    }

    @Test("the dashboard opens for governance and admin only; a viewer, a steward and a unit certificate cannot see it")
    func roles() throws {
        let fixture = try Self.fixture()
        let pages = fixture.api.routes.filter { $0.method == .get && $0.pattern.hasPrefix("/dashboard") && $0.pattern != "/dashboard/login"
            && $0.pattern != "/dashboard/profile" }.map(\.pattern)
        #expect(pages.count == 8)
        for path in pages {
            let anonymous = try fixture.call("GET", path, as: .anonymous)
            #expect(anonymous.status == 303 && Self.header("Location", in: anonymous.headers) == "/dashboard/login", "\(path)")
            let system = try fixture.call("GET", path, as: .unit("retail"))
            #expect(system.status == 303, "a unit certificate opened \(path)")
            for role in [APIRole.viewer, .steward] {
                let refused = try fixture.call("GET", path, as: fixture.token(role))
                #expect(refused.status == 403 && refused.body.contains("needs role governance or admin"), "\(role) \(path): \(refused.status)")
                #expect(!refused.body.contains("Peer lacks"))
            }
            for role in [APIRole.governance, .admin] {
                let page = try fixture.call("GET", path, as: fixture.token(role))
                #expect(page.status == 200, "\(role) \(path): \(page.body)")
                #expect(Self.header("Content-Type", in: page.headers) == "text/html; charset=utf-8")
                #expect(Self.header("Content-Security-Policy", in: page.headers)?.hasPrefix("default-src 'none'") == true)
                #expect(!page.body.contains("<script") && !page.body.contains("src=\"http") && !page.body.contains("href=\"http"), "external assets on \(path)")
                #expect(!page.body.contains("Ada") && !page.body.contains("ada@example.com") && !page.body.contains("Grace"), "personal data on \(path)")
            }
        }
        let revoked = try fixture.call("GET", "/dashboard", as: .token("accord_unknown"))
        #expect(revoked.status == 401)
        #expect(try fixture.call("GET", "/dashboard/nothing", as: fixture.token(.governance)).status == 404)
        let wrongMethod = try fixture.call("DELETE", "/dashboard", as: fixture.token(.governance))
        #expect(wrongMethod.status == 405 && Self.header("Allow", in: wrongMethod.headers) == "GET")
        try fixture.checkAgainstOpenAPI()
    }

    @Test("sign in with a token sets a HttpOnly Secure SameSite=Strict cookie; sign-out needs the CSRF token; revocation ends the session")
    func sessions() throws {
        let fixture = try Self.fixture()
        let form = "application/x-www-form-urlencoded"
        #expect(try fixture.call("GET", "/dashboard/login", as: .anonymous).body.contains("name=\"token\""))
        let viewer = try fixture.call("POST", "/dashboard/login", as: .anonymous, body: Array("token=\(fixture.tokens["viewer"]!)".utf8), contentType: form)
        #expect(viewer.status == 403 && Self.header("Set-Cookie", in: viewer.headers) == nil)
        let bogus = try fixture.call("POST", "/dashboard/login", as: .anonymous, body: Array("token=accord_nope".utf8), contentType: form)
        #expect(bogus.status == 401 && bogus.body.contains("unknown or revoked"))
        let crossSite = try fixture.call("POST", "/dashboard/login", as: .anonymous, body: Array("token=\(fixture.tokens["governance"]!)".utf8),
                                         contentType: form, extra: ["-H", "Origin: https://evil.example"])
        #expect(crossSite.status == 403 && Self.header("Set-Cookie", in: crossSite.headers) == nil)
        let login = try fixture.call("POST", "/dashboard/login", as: .anonymous, body: Array("token=\(fixture.tokens["governance"]!)".utf8),
                                     contentType: form, extra: ["-H", "Origin: https://127.0.0.1:\(fixture.port)"])
        #expect(login.status == 303 && Self.header("Location", in: login.headers) == "/dashboard")
        let cookie = try #require(Self.header("Set-Cookie", in: login.headers))
        #expect(cookie.contains("; Path=/dashboard; Max-Age=28800; HttpOnly; Secure; SameSite=Strict"))
        let secret = String(cookie.split(separator: ";")[0].dropFirst("accord_session=".count))
        #expect(secret.count >= 40 && !secret.contains(fixture.tokens["governance"]!))
        let withCookie = ["-H", "Cookie: theme=dark; accord_session=\(secret)"]
        let page = try fixture.call("GET", "/dashboard", as: .anonymous, extra: withCookie)
        #expect(page.status == 200 && page.body.contains("Sign out"))
        let csrf = try #require(page.body.range(of: #"name="csrf" value=""#).map { String(page.body[$0.upperBound...].prefix { $0 != "\"" }) })
        #expect(csrf.count >= 30)
        // The cookie is not a credential for the JSON API.
        #expect(try fixture.call("GET", "/v1/status", as: .anonymous, extra: withCookie).status == 401)
        let noToken = try fixture.call("POST", "/dashboard/logout", as: .anonymous, body: Array("csrf=wrong".utf8), contentType: form, extra: withCookie)
        #expect(noToken.status == 403)
        #expect(try fixture.call("GET", "/dashboard", as: .anonymous, extra: withCookie).status == 200, "a refused sign-out ended the session")
        let logout = try fixture.call("POST", "/dashboard/logout", as: .anonymous, body: Array("csrf=\(csrf)".utf8), contentType: form, extra: withCookie)
        #expect(logout.status == 303 && Self.header("Set-Cookie", in: logout.headers)?.contains("Max-Age=0") == true)
        #expect(try fixture.call("GET", "/dashboard", as: .anonymous, extra: withCookie).status == 303)
        // A revoked token ends its sessions at the next request.
        let again = try fixture.call("POST", "/dashboard/login", as: .anonymous, body: Array("token=\(fixture.tokens["governance"]!)".utf8), contentType: form)
        let second = try #require(Self.header("Set-Cookie", in: again.headers)).split(separator: ";")[0]
        #expect(try fixture.call("GET", "/dashboard/federation", as: .anonymous, extra: ["-H", "Cookie: \(second)"]).status == 200)
        _ = try fixture.retail.engine.withNode { try $0.revokeToken("governance") }
        #expect(try fixture.call("GET", "/dashboard/federation", as: .anonymous, extra: ["-H", "Cookie: \(second)"]).status == 303)
        try fixture.checkAgainstOpenAPI()
    }

    @Test("panels show the figures, escape every value and keep record values off the pages")
    func panels() throws {
        let fixture = try Self.fixture()
        let governance = fixture.token(.governance)
        #expect(try fixture.call("POST", "/v1/records/retail/C-1/consent", as: fixture.token(.steward),
                                 json: #"{"channel":"email","purpose":"service","decision":"opt-out"}"#).status == 201)
        let hostile = "<img src=x onerror=alert(1)>\"'&"
        try fixture.retail.engine.withNode { node in
            try node.store.appendAudit(AuditEntry(atMillis: Int64(node.now()), unit: "retail", operatorName: hostile, action: "subject.export",
                                                  subject: "retail/C-1", detail: "1 entries", dueAtMillis: Int64(node.now()) - 1000))
        }
        let privacy = try fixture.call("GET", "/dashboard/privacy", as: governance)
        #expect(privacy.status == 200)
        #expect(privacy.body.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"))
        #expect(!privacy.body.contains("<img"))
        #expect(privacy.body.contains("past due date"))
        #expect(!privacy.body.contains("retail/C-1"), "a record key on the privacy page")
        let quality = try fixture.call("GET", "/dashboard/quality", as: governance)
        #expect(quality.body.contains("retail: 3 records") && quality.body.contains("<td>given_name</td><td class=\"num\">3</td><td class=\"num\">100%</td>"),
                "\(quality.body)")
        let consent = try fixture.call("GET", "/dashboard/consent", as: governance)
        #expect(consent.body.contains("<td>retail</td><td>email</td><td class=\"num\">1</td><td class=\"num\">100%</td>"), "\(consent.body)")
        let federation = try fixture.call("GET", "/dashboard/federation", as: governance)
        #expect(federation.body.contains("<td>retail</td>") && federation.body.contains("this node") && federation.body.contains("<svg"))
        // insurance sent nothing: stale, shown red.
        #expect(federation.body.contains("<td class=\"bad\">none</td>"))
        let consolidation = try fixture.call("GET", "/dashboard/consolidation", as: governance)
        #expect(!consolidation.body.contains("Not wired yet") && consolidation.body.contains("pairs waiting for review"), "\(consolidation.body)")
        try fixture.checkAgainstOpenAPI()
    }

    @Test("the segments page: each saved segment's audience over time, exclusions by reason and consent movements; no filter text")
    func segmentsPage() throws {
        let fixture = try Self.fixture()
        let governance = fixture.token(.governance)
        let empty = try fixture.call("GET", "/dashboard/segments", as: governance)
        #expect(empty.status == 200 && empty.body.contains("No saved segment on this node"), "\(empty.body)")
        let day: Int64 = 86_400_000, start: Int64 = 1_796_000_000_000
        try fixture.retail.engine.withNode { node in
            try node.saveSegment(name: "spring-newsletter", expression: #"email = "ada@example.com" or known_to(retail)"#, unit: node.unit,
                                 channel: "email", purpose: "marketing")
            try node.store.appendSegmentFigure(SegmentFigure(segment: "spring-newsletter", atMillis: start, matched: 1_500, audience: 1_200,
                                                             excluded: ["opt-out": 200, "no-consent": 100], crossOpt: 40, optDown: 10))
            try node.store.appendSegmentFigure(SegmentFigure(
                segment: "spring-newsletter", atMillis: start + day, matched: 1_510, audience: 1_166,
                excluded: ["opt-out": 230, "no-consent": 94, "do-not-contact": 20], crossOpt: 47, optDown: 12, sinceMillis: start,
                moves: [SegmentMove(kind: "cross-opt-reachable", from: "email", to: "sms", people: 7),
                        SegmentMove(kind: "cross-opt-opted-in", from: "email", to: "phone", people: 3),
                        SegmentMove(kind: "opt-down", from: "email", to: "email", people: 2)]))
        }
        let page = try fixture.call("GET", "/dashboard/segments", as: governance)
        #expect(page.status == 200)
        let body = page.body
        for section in ["Segment spring-newsletter", "Audience over time", "Exclusions by reason", "Consent movements between recordings",
                        "Unit retail · channel email · purpose marketing · filter sha256:"] {
            #expect(body.contains(section), "lacks \(section)")
        }
        #expect(body.contains("<div class=\"n\">1,166</div><div class=\"l\">audience</div>"))
        #expect(body.contains("<div class=\"n\">10</div><div class=\"l\">cross-opt movements since the previous recording</div>"))
        #expect(body.contains("<div class=\"n\">2</div><div class=\"l\">opt-down movements since the previous recording</div>"))
        #expect(body.contains("<polyline class=\"line\""), "the audience line")
        #expect(body.contains("<title>2026-11-30: 1200</title>") && body.contains("<title>2026-12-01: 1166</title>"))
        #expect(body.contains(">opt-out</text>") && body.contains("230 (15.2%)") && body.contains("20 (1.3%)"))
        // The newest recording first: audience change, movements by kind, channels.
        #expect(body.contains("<td class=\"num\">1,166</td><td class=\"num bad\">-34</td><td class=\"num\">7</td><td class=\"num\">3</td><td class=\"num\">2</td>"),
                "\(body)")
        #expect(body.contains("Cross-opt, still reachable: email → sms 7; Cross-opt, opted in elsewhere: email → phone 3; Opt-down: email 2"))
        #expect(body.contains("<td>first recording</td><td class=\"num\">1,200</td><td class=\"num\">–</td>"))
        #expect(!body.contains("ada@example.com"), "the filter's text (a customer value) on the page")
        #expect(body.contains("<a href=\"/dashboard/segments\" class=\"current\">Segments</a>"))
        try fixture.checkAgainstOpenAPI()
    }

    @Test("old figures are served at once while one refresh runs in the background")
    func figuresRefreshInTheBackground() throws {
        let fixture = try APIFixture { $0.dashboardFiguresMaxAge = 0.3 }
        let governance = fixture.token(.governance)
        func decisions() throws -> String? {
            let body = try fixture.call("GET", "/dashboard/consent", as: governance).body
            return body.range(of: "</div><div class=\"l\">current decisions").map { range in
                String(body[..<range.lowerBound].reversed().prefix { $0 != ">" }.reversed())
            }
        }
        #expect(try decisions() == "0")
        #expect(try fixture.call("POST", "/v1/records/retail/C-1/consent", as: fixture.token(.steward),
                                 json: #"{"channel":"email","purpose":"service","decision":"opt-in"}"#).status == 201)
        // Cached figures are answered (also old ones: a load only starts a refresh), so this is still 0.
        #expect(try decisions() == "0", "the cache was bypassed")
        Thread.sleep(forTimeInterval: 0.4)
        let deadline = Date().addingTimeInterval(10)
        var seen = try decisions()
        while seen != "1" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            seen = try decisions()
        }
        #expect(seen == "1", "the background refresh did not land")
    }
}
