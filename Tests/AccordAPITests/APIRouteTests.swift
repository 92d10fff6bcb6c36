import AccordAPI
import AccordHTTP
import AccordModel
import AccordNode
import Foundation
import Testing

@Suite("HTTPS API: routes")
struct APIRouteTests {
    @Test("the OpenAPI file is sound and documents exactly the served routes, with their permissions")
    func openAPIMatchesTheRoutes() throws {
        let fixture = try APIFixture()
        let document = try OpenAPIDocument(path: APIFixture.root + "/docs/openapi.json")
        #expect(document.structuralProblems() == [])
        let served = Set(fixture.api.routes.map { "\($0.method.rawValue) \($0.pattern)" })
        #expect(served == document.operations, "served but undocumented: \(served.subtracting(document.operations)); documented but not served: \(document.operations.subtracting(served))")
        for route in fixture.api.routes {
            let operation = document.root["paths"]?[route.pattern]?[route.method.rawValue.lowercased()]
            #expect(operation?["x-accord-permission"] == (route.permission.map { .string($0.rawValue) } ?? .null), "\(route.pattern)")
            #expect(operation?["x-accord-personal-data"] == .bool(route.personalData), "\(route.pattern)")
            #expect(operation?["operationId"]?.stringValue == route.name.replacingOccurrences(of: ".", with: "_"))
        }
        // The checker itself finds what is off: a wrong type, a missing member, an undocumented status.
        #expect(Set(document.check(Exchange(method: "GET", path: "/v1/whoami", status: 200, body: #"{"unit": 1, "permissions": ["fly"]}"#))) == [
            "GET /v1/whoami 200: $: required member principal is missing", "GET /v1/whoami 200: $.unit: expected string, found integer",
            "GET /v1/whoami 200: $.permissions[0]: \"fly\" is not one of the enum values",
        ])
        #expect(document.check(Exchange(method: "GET", path: "/v1/whoami", status: 418, body: "")) == ["GET /v1/whoami 418: status not documented"])
        #expect(document.check(Exchange(method: "GET", path: "/v1/records/retail/C-1", status: 200, body: #"{"owner": "retail", "localId": "C-1", "entries": [{"attribute": "a"}]}"#)).count == 4)
        #expect(document.check(Exchange(method: "GET", path: "/v1/unknown", status: 200, body: "{}")) == ["GET /v1/unknown: not in the OpenAPI document"])
    }

    @Test("records: pages of keys, a record by id (also with an encoded /), 404, writes read back")
    func records() throws {
        let fixture = try APIFixture()
        let steward = fixture.token(.steward)
        let page = try fixture.call("GET", "/v1/records?owner=retail&limit=2", as: steward)
        #expect(page.status == 200)
        #expect(page.json?["records"]?.arrayValue?.count == 2)
        let next = try #require(page.json?["next"]?.stringValue)
        let rest = try fixture.call("GET", "/v1/records?owner=retail&limit=2&after=\(PercentEncoding.encode(next))", as: steward)
        #expect(rest.json?["records"]?.arrayValue?.compactMap { $0["localId"]?.stringValue } == ["C/3"])
        #expect(rest.json?["next"] == .null)

        let record = try fixture.call("GET", "/v1/records/retail/C-1", as: steward)
        #expect(record.status == 200)
        #expect(record.headers.contains("Cache-Control: no-store"))
        let entries = record.json?["entries"]?.arrayValue ?? []
        #expect(entries.map { $0["attribute"]?.stringValue ?? "" } == ["email", "given_name"])
        #expect(entries.first?["value"] == ["ada@example.com"])
        #expect(try fixture.call("GET", "/v1/records/retail/C%2F3", as: steward).json?["localId"] == "C/3")
        let missing = try fixture.call("GET", "/v1/records/retail/nobody", as: steward)
        #expect(missing.status == 404 && missing.message == "no record retail/nobody on this node")
        #expect(try fixture.call("GET", "/v1/records/Retail/C-1", as: steward).status == 400)

        let written = try fixture.call("PATCH", "/v1/records/retail/C-9", as: steward,
                                       json: #"{"values":{"given_name":"  Katherine  Johnson ","email":["KJ@Example.com"],"phone":"030 1234567"}}"#)
        #expect(written.status == 200, "\(written.body)")
        #expect(written.json?["entriesWritten"] == 3)
        let again = try fixture.call("PATCH", "/v1/records/retail/C-9", as: steward, json: #"{"values":{"given_name":"Katherine Johnson"}}"#)
        #expect(again.json?["entriesWritten"] == 0)
        let read = try fixture.call("GET", "/v1/records/retail/C-9", as: steward).json?["entries"]?.arrayValue ?? []
        let values = Dictionary(read.map { ($0["attribute"]?.stringValue ?? "", $0["value"] ?? .null) }, uniquingKeysWith: { $1 })
        #expect(values["given_name"] == "Katherine Johnson")
        #expect(values["email"] == ["kj@example.com"])
        #expect(values["phone"] == ["+49301234567"])
        let deleted = try fixture.call("PATCH", "/v1/records/retail/C-9", as: steward, json: #"{"values":{"phone":null}}"#)
        #expect(deleted.json?["entriesWritten"] == 1)
        let phone = try fixture.call("GET", "/v1/records/retail/C-9", as: steward).json?["entries"]?.arrayValue?.first { $0["attribute"] == "phone" }
        #expect(phone?["value"] == .null && phone?["deleted"] == true)
        try fixture.checkAgainstOpenAPI()
    }

    @Test("bad writes: malformed JSON names where, unknown members and attributes, invalid values, other units' records, wrong media type")
    func badWrites() throws {
        let fixture = try APIFixture()
        let admin = fixture.token(.admin)
        let cases: [(String, String, Int, String)] = [
            ("/v1/records/retail/C-1", #"{"values": {"given_name": "Ada",}}"#, 400,
             #"request body: malformed JSON at line 1, column 33 ($.values): unexpected "}", expected a member name in quotes"#),
            ("/v1/records/retail/C-1", #"{"values": {"given_name": 7}}"#, 400, "request body: $.values.given_name: expected a string or null, found integer"),
            ("/v1/records/retail/C-1", #"{"values": {"given_name": ["a", "b"]}}"#, 400, "holds one value"),
            ("/v1/records/retail/C-1", #"{"values": {"email": ["a@example.com", 1]}}"#, 400, "$.values.email[1]: expected a string"),
            ("/v1/records/retail/C-1", #"{"vals": {}}"#, 400, "request body: $.vals: unknown member (allowed: values)"),
            ("/v1/records/retail/C-1", #"{"values": {}}"#, 400, "$.values: names no attribute"),
            ("/v1/records/retail/C-1", #"["values"]"#, 400, "$: expected an object, found array"),
            ("/v1/records/retail/C-1", #"{"values": {"shoe_size": "44"}}"#, 422, "$.values.shoe_size: attribute is not in the policy's catalog"),
            ("/v1/records/retail/C-1", #"{"values": {"email": "not-an-email"}}"#, 422, "attribute \"email\": not an email address"),
            ("/v1/records/insurance/I-1", #"{"values": {"given_name": "Ada"}}"#, 403, "unit retail writes only its own records; insurance/I-1 belongs to insurance"),
        ]
        for (path, body, status, message) in cases {
            let reply = try fixture.call("PATCH", path, as: admin, json: body)
            #expect(reply.status == status, "\(body): \(reply.body)")
            #expect(reply.message.contains(message), "\(body): \(reply.message)")
        }
        let wrongType = try fixture.call("PATCH", "/v1/records/retail/C-1", as: admin, body: Array(#"{"values":{}}"#.utf8), contentType: "text/plain")
        #expect(wrongType.status == 415)
        let empty = try fixture.call("PATCH", "/v1/records/retail/C-1", as: admin, body: [], contentType: "application/json")
        #expect(empty.status == 400 && empty.message.contains("empty"))
        let unknownQuery = try fixture.call("GET", "/v1/records?colour=red", as: admin)
        #expect(unknownQuery.status == 400 && unknownQuery.message.contains("unknown query parameter \"colour\""))
        let wrongMethod = try fixture.call("DELETE", "/v1/records/retail/C-1", as: admin)
        #expect(wrongMethod.status == 405 && wrongMethod.headers.contains("Allow: GET, HEAD, PATCH"))
        #expect(try fixture.call("GET", "/v2/nothing", as: admin).status == 404)
        try fixture.checkAgainstOpenAPI()
    }

    @Test("consent: record with evidence, check with the reason, the receipt; refusals name the field")
    func consent() throws {
        let fixture = try APIFixture()
        let steward = fixture.token(.steward)
        let recorded = try fixture.call("POST", "/v1/records/retail/C-1/consent", as: steward, json: """
            {"channel": "email", "purpose": "marketing", "scope": "company", "decision": "opt-in", "method": "web-form",
             "noticeVersion": "v2", "noticeSHA256": "\(String(repeating: "ab", count: 32))", "decidedAt": "2026-01-15T10:00:00Z", "expiresAt": "2099-12-31"}
            """)
        #expect(recorded.status == 201, "\(recorded.body)")
        #expect(recorded.json?["attribute"] == "consent:email:marketing:company")
        let check = try fixture.call("GET", "/v1/records/retail/C-1/consent?channel=email&purpose=marketing&unit=insurance", as: steward)
        #expect(check.json?["allowed"] == true)
        #expect(check.json?["unit"] == "insurance")
        #expect(check.json?["reason"]?.stringValue?.contains("latest decision covering insurance") == true)
        #expect(check.json?["deciding"]?["decision"]?["noticeSHA256"]?.stringValue == String(repeating: "ab", count: 32))
        let receipt = try fixture.call("GET", "/v1/records/retail/C-1/consent/receipt?channel=email&purpose=marketing", as: steward)
        #expect(receipt.status == 200 && receipt.json?["collectionMethod"] == "web-form")
        let nothing = try fixture.call("GET", "/v1/records/retail/C-2/consent?channel=sms&purpose=marketing", as: steward)
        #expect(nothing.json?["allowed"] == false)
        let noReceipt = try fixture.call("GET", "/v1/records/retail/C-2/consent/receipt?channel=sms&purpose=marketing", as: steward)
        #expect(noReceipt.status == 404)
        let missingQuery = try fixture.call("GET", "/v1/records/retail/C-1/consent?channel=email", as: steward)
        #expect(missingQuery.status == 400 && missingQuery.message.contains("\"purpose\" is required"))
        let refusals: [(String, Int, String)] = [
            (#"{"channel": "email", "purpose": "marketing", "decision": "maybe"}"#, 400, "$.decision: must be opt-in or opt-out"),
            (#"{"channel": "email", "purpose": "marketing"}"#, 400, "$.decision: missing"),
            (#"{"channel": "email", "purpose": "marketing", "decision": "opt-in", "decidedAt": "yesterday"}"#, 400, "$.decidedAt: must be a date"),
            (#"{"channel": "email", "purpose": "marketing", "decision": "opt-in", "scope": "galaxy"}"#, 400, "$.scope: must be unit, line, company"),
            (#"{"channel": "Email!", "purpose": "marketing", "decision": "opt-in"}"#, 400, "channel and purpose must be ids"),
            (#"{"channel": "pigeon", "purpose": "marketing", "decision": "opt-in"}"#, 422, "unknown consent channel \"pigeon\""),
            (#"{"channel": "email", "purpose": "marketing", "decision": "opt-in", "noticeSHA256": "xyz"}"#, 400, "$.noticeSHA256: must be 64 hex digits"),
        ]
        for (body, status, message) in refusals {
            let reply = try fixture.call("POST", "/v1/records/retail/C-1/consent", as: steward, json: body)
            #expect(reply.status == status, "\(body): \(reply.body)")
            #expect(reply.message.contains(message), "\(body): \(reply.message)")
        }
        try fixture.checkAgainstOpenAPI()
    }

    @Test("interactions are appended; an access export holds the record with lineage and is audited with its due date")
    func interactionsAndExport() throws {
        let fixture = try APIFixture()
        let steward = fixture.token(.steward)
        let added = try fixture.call("POST", "/v1/records/retail/C-1/interactions", as: steward,
                                     json: #"{"type": "purchase", "channel": "store", "id": "order-17", "attributes": {"amount": "49.90"}}"#)
        #expect(added.status == 201, "\(added.body)")
        #expect(added.json?["attribute"] == "interaction:order-17")
        let unknown = try fixture.call("POST", "/v1/records/retail/C-1/interactions", as: steward, json: #"{"type": "teleport", "channel": "store"}"#)
        #expect(unknown.status == 422 && unknown.message.contains("unknown interaction type \"teleport\""))
        let event = try fixture.call("GET", "/v1/records/retail/C-1", as: steward).json?["entries"]?.arrayValue?.first { $0["attribute"] == "interaction:order-17" }
        #expect(event?["value"]?["attributes"] == ["amount": "49.90"])
        let export = try fixture.call("POST", "/v1/records/retail/C-1/export", as: steward)
        #expect(export.status == 200)
        #expect(export.json?["format"] == "accord-subject-export/2")
        #expect(export.json?["entries"]?.arrayValue?.contains { $0["attribute"] == "given_name" && $0["writtenBy"] == "retail" && $0["record"] == "retail/C-1" } == true)
        #expect(export.json?["records"]?.arrayValue?.first?["foundBy"] == "request")
        #expect(try fixture.call("POST", "/v1/records/retail/nobody/export", as: steward).status == 404)
        let logged = try fixture.auditEntries(action: "subject.export")
        #expect(logged.count == 1 && logged[0].op == "token:steward" && logged[0].subject?.hasPrefix("retail/C-1") == true)
        // The person named by records, emails and phone numbers; bad bodies say where.
        let byRecord = try fixture.call("POST", "/v1/subject-exports", as: steward, json: #"{"records": ["retail/C-1"], "emails": []}"#)
        #expect(byRecord.status == 200 && byRecord.json?["records"]?.arrayValue?.first?["record"] == "retail/C-1", "\(byRecord.body)")
        #expect(try fixture.call("POST", "/v1/subject-exports", as: steward, json: #"{"emails": ["nobody@example.com"]}"#).status == 404)
        let notAKey = try fixture.call("POST", "/v1/subject-exports", as: steward, json: #"{"records": ["retail/C-1", "C-1"]}"#)
        #expect(notAKey.status == 400 && notAKey.message.contains("$.records[1]"), "\(notAKey.body)")
        let notAString = try fixture.call("POST", "/v1/subject-exports", as: steward, json: #"{"phones": [17]}"#)
        #expect(notAString.status == 400 && notAString.message.contains("$.phones[0]: expected a string"), "\(notAString.body)")
        #expect(try fixture.call("POST", "/v1/subject-exports", as: steward, json: #"{}"#).message.contains("at least one"))
        #expect(try fixture.call("POST", "/v1/subject-exports", as: steward, json: #"{"names": ["Ada"]}"#).message.contains("$.names: unknown member"))
        #expect(try fixture.auditEntries(action: "subject.export").count == 2, "refused requests export nothing")
        try fixture.checkAgainstOpenAPI()
    }

    @Test("import: CSV and JSON lines bodies, the mapping, refused rows reported, media types checked")
    func importBodies() throws {
        let fixture = try APIFixture()
        let admin = fixture.token(.admin)
        let csv = "customer_no,given_name,email\nI-1,Eve,eve@example.com\nI-2,Mallory,not-an-email\n"
        let report = try fixture.call("POST", "/v1/import?map=id%3Dcustomer_no", as: admin, body: Array(csv.utf8), contentType: "text/csv")
        #expect(report.status == 200, "\(report.body)")
        #expect(report.json?["rowsRead"] == 2 && report.json?["recordsWritten"] == 1 && report.json?["rowsRejected"] == 1)
        #expect(report.json?["errors"]?.arrayValue?.first?["line"] == 3)
        #expect(!report.body.contains("not-an-email"))
        let lines = #"{"id": "J-1", "given_name": "Judy"}"# + "\n"
        let jsonl = try fixture.call("POST", "/v1/import", as: fixture.token(.admin), body: Array(lines.utf8), contentType: "application/x-ndjson")
        #expect(jsonl.json?["recordsWritten"] == 1, "\(jsonl.body)")
        #expect(try fixture.call("GET", "/v1/records/retail/J-1", as: admin).status == 200)
        let unknownType = try fixture.call("POST", "/v1/import", as: admin, body: Array(csv.utf8), contentType: "application/pdf")
        #expect(unknownType.status == 415)
        let badMap = try fixture.call("POST", "/v1/import?map=nonsense", as: admin, body: Array(csv.utf8), contentType: "text/csv")
        #expect(badMap.status == 400 && badMap.message.contains("\"map\""))
        let badHeader = try fixture.call("POST", "/v1/import", as: admin, body: Array("name\nx\n".utf8), contentType: "text/csv")
        #expect(badHeader.status == 422, "\(badHeader.body)")
        // The staged body files are removed.
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: fixture.federation.path("retail") + "/run")) ?? []
        #expect(!staged.contains { $0.hasPrefix("api-import-") })
        try fixture.checkAgainstOpenAPI()
    }
}
