import AccordAPI
import AccordHTTP
import AccordModel
import AccordNode
import Foundation
import Testing

@Suite("HTTPS API: authentication, roles, audit")
struct APIAuthTests {
    /// Each route once per kind of caller: 401 without credentials, 403 where the role or unit is not enough.
    @Test("every route answers each caller as the roles table says")
    func rolesTable() throws {
        let fixture = try APIFixture()
        // A saved segment whose figures every caller allowed to read them can read.
        try fixture.retail.engine.withNode { node in
            _ = try node.saveSegment(name: "standing", expression: "given_name exists", unit: node.unit, channel: "email", purpose: "marketing")
        }
        let segment = #"{"filter":"given_name exists","channel":"email","purpose":"marketing"}"#
        // (method, path, body, content type); a body where the route takes one, so allowed callers get a 2xx.
        let routes: [(String, String, String?, String?)] = [
            ("GET", "/metrics", nil, nil), ("GET", "/v1/whoami", nil, nil), ("GET", "/v1/status", nil, nil), ("GET", "/v1/digests", nil, nil), ("GET", "/v1/rejected", nil, nil),
            ("GET", "/v1/audit", nil, nil), ("GET", "/v1/records", nil, nil), ("GET", "/v1/records/retail/C-1", nil, nil),
            ("PATCH", "/v1/records/retail/C-1", #"{"values":{"given_name":"Ada"}}"#, "application/json"),
            ("POST", "/v1/records/retail/C-1/consent", #"{"channel":"email","purpose":"service","decision":"opt-in"}"#, "application/json"),
            ("GET", "/v1/records/retail/C-1/consent?channel=email&purpose=service", nil, nil),
            ("GET", "/v1/records/retail/C-1/consent/receipt?channel=email&purpose=service", nil, nil),
            ("POST", "/v1/records/retail/C-1/interactions", #"{"type":"purchase","channel":"web"}"#, "application/json"),
            ("POST", "/v1/records/retail/C-1/export", nil, nil),
            ("POST", "/v1/subject-exports", #"{"records":["retail/C-1"]}"#, "application/json"),
            ("GET", "/v1/inventory", nil, nil),
            ("POST", "/v1/import", "id,given_name\nR-1,Rita\n", "text/csv"),
            ("GET", "/v1/profiles?record=retail/C-1", nil, nil), ("GET", "/v1/profiles/\(try fixture.profileID(of: "retail/C-1"))", nil, nil),
            ("GET", "/v1/review", nil, nil),
            ("POST", "/v1/review/retail%2FC-1,retail%2FC-2/accept", #"{"reason":"roles table"}"#, "application/json"),
            ("POST", "/v1/review/retail%2FC-1,retail%2FC-2/reject", nil, nil),
            ("POST", "/v1/segments/preview", segment, "application/json"),
            ("POST", "/v1/segments/export", segment, "application/json"),
            ("GET", "/v1/segments", nil, nil),
            ("PUT", "/v1/segments/roles", segment, "application/json"), ("DELETE", "/v1/segments/roles", nil, nil),
            ("GET", "/v1/segments/standing/figures", nil, nil),
        ]
        /// The route pattern of a concrete path.
        func pattern(_ path: String) -> String {
            let bare = String(path.split(separator: "?")[0]).replacingOccurrences(of: "retail/C-1", with: "{owner}/{id}")
            if bare.hasPrefix("/v1/profiles/") { return "/v1/profiles/{id}" }
            if bare.hasPrefix("/v1/review/") { return "/v1/review/{pair}/" + (bare.split(separator: "/").last.map(String.init) ?? "") }
            if bare.hasSuffix("/figures") { return "/v1/segments/{name}/figures" }
            if bare == "/v1/segments/roles" { return "/v1/segments/{name}" }
            return bare
        }
        #expect(Set(routes.map { "\($0.0) \(pattern($0.1))" }) == Set(fixture.api.routes.filter { !$0.pattern.hasPrefix("/dashboard") }.map { "\($0.method.rawValue) \($0.pattern)" }))
        let callers: [(String, Caller, Set<APIPermission>?)] = [
            ("anonymous", .anonymous, nil), ("viewer", fixture.token(.viewer), APIRole.viewer.permissions),
            ("steward", fixture.token(.steward), APIRole.steward.permissions), ("admin", fixture.token(.admin), APIRole.admin.permissions),
            ("governance", fixture.token(.governance), APIRole.governance.permissions),
            ("retail system", .unit("retail"), APIPrincipal.unitSystem(unit: "retail").permissions), ("insurance system", .unit("insurance"), nil),
        ]
        let permissions = Dictionary(fixture.api.routes.map { ("\($0.method.rawValue) \($0.pattern)", $0.permission) }, uniquingKeysWith: { $1 })
        for (name, caller, granted) in callers {
            for (method, path, body, type) in routes {
                let key = "\(method) \(pattern(path))"
                let reply = try fixture.call(method, path, as: caller, body: body.map { Array($0.utf8) }, contentType: type)
                let expected: Int
                if case .anonymous = caller {
                    expected = 401
                } else if let granted, let needed = permissions[key] ?? nil {
                    expected = granted.contains(needed) ? 2 : 403
                } else if granted != nil {
                    expected = 2
                } else {
                    expected = 403
                }
                if expected == 2 {
                    #expect((200...201).contains(reply.status), "\(name) \(key): \(reply.status) \(reply.body)")
                } else {
                    #expect(reply.status == expected, "\(name) \(key): \(reply.status) \(reply.body)")
                }
                if reply.status == 401 { #expect(reply.headers.contains("WWW-Authenticate: Bearer realm=\"accord\"")) }
            }
        }
        let refused = try fixture.call("GET", "/v1/records/retail/C-1", as: fixture.token(.viewer))
        #expect(refused.message == "token viewer (role viewer) may not records.read (needs permission readRecords: role steward or admin)")
        let otherUnit = try fixture.call("GET", "/v1/status", as: .unit("insurance"))
        #expect(otherUnit.message.contains("the client certificate is unit insurance's"))
        try fixture.checkAgainstOpenAPI()
    }

    @Test("who am I; a unit system by certificate; a certificate from another CA fails the handshake")
    func principals() throws {
        let fixture = try APIFixture()
        let token = try fixture.call("GET", "/v1/whoami", as: fixture.token(.viewer))
        #expect(token.json?["principal"]?["kind"] == "token" && token.json?["principal"]?["role"] == "viewer")
        #expect(token.json?["permissions"] == ["readFederation"])
        let system = try fixture.call("GET", "/v1/whoami", as: .unit("retail"))
        #expect(system.json?["principal"] == ["kind": "unitSystem", "unit": "retail"])
        let rogue = try fixture.call("GET", "/v1/whoami", as: .rogue)
        #expect(rogue.status == 0, "a certificate from an untrusted CA was accepted: \(rogue.body)")
        // A token wins over a certificate when both are given.
        let both = try fixture.call("GET", "/v1/whoami", as: fixture.token(.admin), extra: fixture.credentials(.unit("insurance")))
        #expect(both.json?["principal"]?["role"] == "admin")
        for header in ["Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer", "Bearer not-an-accord-token", "Bearer accord_unknown"] {
            let reply = try fixture.call("GET", "/v1/whoami", as: .anonymous, extra: ["-H", "Authorization: \(header)"])
            #expect(reply.status == 401, "\(header): \(reply.body)")
        }
        try fixture.checkAgainstOpenAPI()
    }

    @Test("a revoked token is refused from its next request on; tokens are stored only as hashes")
    func revocation() throws {
        let fixture = try APIFixture()
        let steward = fixture.token(.steward)
        #expect(try fixture.call("GET", "/v1/records/retail/C-1", as: steward).status == 200)
        try fixture.retail.engine.withNode { node in _ = try node.revokeToken("steward", operatorName: "test") }
        let refused = try fixture.call("GET", "/v1/records/retail/C-1", as: steward)
        #expect(refused.status == 401 && refused.message == "the bearer token is unknown or revoked")
        let database = try Data(contentsOf: URL(fileURLWithPath: fixture.federation.path("retail") + "/accord.sqlite"))
        for secret in fixture.tokens.values { #expect(database.range(of: Data(secret.utf8)) == nil) }
        let created = try fixture.retail.engine.withNode { node in try node.createToken(role: .viewer, name: "late") }
        #expect(try fixture.call("GET", "/v1/status", as: .token(created.secret)).status == 200)
        try fixture.checkAgainstOpenAPI()
    }

    @Test("every request touching personal data is in the audit log with its operator and status, refusals too")
    func accessLog() throws {
        let fixture = try APIFixture()
        try fixture.call("GET", "/v1/records/retail/C-1", as: fixture.token(.steward))
        try fixture.call("GET", "/v1/records/retail/C-1", as: fixture.token(.viewer))
        try fixture.call("GET", "/v1/records/retail/nobody", as: .unit("retail"))
        try fixture.call("GET", "/v1/status", as: fixture.token(.viewer))
        try fixture.call("GET", "/v1/records/retail/C-1", as: .anonymous)
        let entries = try fixture.auditEntries().filter { $0.action.hasPrefix("api.") }
        #expect(entries.map { "\($0.op) \($0.action) \($0.subject ?? "-") \($0.detail ?? "-")" }.reversed() == [
            "token:steward api.records.read retail/C-1 GET 200",
            "token:viewer api.records.read retail/C-1 GET 403",
            "system:retail api.records.read retail/nobody GET 404",
        ])
        let reader = try fixture.call("GET", "/v1/audit?action=api.records.read&limit=2", as: fixture.token(.admin))
        #expect(reader.json?["entries"]?.arrayValue?.count == 2)
        try fixture.checkAgainstOpenAPI()
    }
}
