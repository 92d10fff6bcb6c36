import AccordAPI
import AccordHTTP
import AccordNode
import AccordStore
import Foundation
import Testing

@Suite("HTTPS API: segments")
struct SegmentRoutesTests {
    /// Four profiles for retail on email/marketing: C-1 opted in with an e-mail address (the
    /// audience), C-2 opted in without one (no contact point), C/3 opted out, C-4 never asked.
    private func seeded() throws -> APIFixture {
        let fixture = try APIFixture()
        let steward = fixture.token(.steward)
        let written = try fixture.call("PATCH", "/v1/records/retail/C-4", as: steward,
                                       json: #"{"values":{"given_name":"Alan","email":["alan@example.com"]}}"#)
        #expect(written.status == 200, "\(written.body)")
        for (record, decision) in [("C-1", "opt-in"), ("C-2", "opt-in"), ("C%2F3", "opt-out")] {
            let consent = try fixture.call("POST", "/v1/records/retail/\(record)/consent", as: steward,
                                           json: #"{"channel":"email","purpose":"marketing","decision":"\#(decision)"}"#)
            #expect(consent.status == 201, "\(consent.body)")
        }
        _ = try fixture.profileID(of: "retail/C-4")
        return fixture
    }

    @Test("preview and export apply consent and say who was excluded and why; only attributes the unit may see leave; audited without values")
    func previewAndExport() throws {
        let fixture = try seeded()
        let steward = fixture.token(.steward)
        let ada = try fixture.profileID(of: "retail/C-1")
        let request = #"{"filter":"given_name exists","channel":"email","purpose":"marketing"}"#
        var preview = try fixture.call("POST", "/v1/segments/preview", as: steward, json: request)
        #expect(try eventually {
            preview = try fixture.call("POST", "/v1/segments/preview", as: steward, json: request)
            return preview.json?["matched"] == 4
        }, "\(preview.body)")
        #expect(preview.status == 200)
        #expect(preview.json?["audience"] == 1)
        #expect(preview.json?["excluded"] == ["do-not-contact": 0, "opt-out": 1, "expired-consent": 0, "no-consent": 1, "no-contact-point": 1])
        #expect(preview.json?["unit"] == "retail" && preview.json?["filter"] == "given_name exists")
        let sample = preview.json?["sample"]?.arrayValue ?? []
        #expect(sample.count == 1 && sample.first?["profile"]?.stringValue == ada && sample.first?["stage"] == "prospect")
        #expect(sample.first?["values"]?["email"] == ["ada@example.com"] && sample.first?["values"]?["given_name"] == ["Ada"])
        let idsOnly = try fixture.call("POST", "/v1/segments/preview", as: .unit("retail"),
                                       json: #"{"filter":"given_name exists","channel":"email","purpose":"marketing","idsOnly":true,"sample":0}"#)
        #expect(idsOnly.json?["sample"] == [] && idsOnly.json?["audience"] == 1)
        let ids = try fixture.call("POST", "/v1/segments/preview", as: steward,
                                   json: #"{"filter":"given_name exists","channel":"email","purpose":"marketing","idsOnly":true}"#)
        #expect(ids.json?["sample"]?.arrayValue?.first?["values"] == nil && ids.json?["sample"]?.arrayValue?.first?["profile"]?.stringValue == ada)
        #expect(try fixture.call("POST", "/v1/segments/preview", as: fixture.token(.viewer), json: request).status == 403)

        // CSV (the default), with the counts in headers; never iban (share class financial: not retail's).
        let csv = try fixture.call("POST", "/v1/segments/export", as: .unit("retail"), json: request)
        #expect(csv.status == 200, "\(csv.body)")
        #expect(csv.headers.contains("Content-Type: text/csv; charset=utf-8"))
        #expect(csv.headers.contains("Accord-Segment-Matched: 4") && csv.headers.contains("Accord-Segment-Audience: 1"))
        #expect(csv.headers.contains("Accord-Segment-Excluded: do-not-contact=0, opt-out=1, expired-consent=0, no-consent=1, no-contact-point=1"))
        let lines = csv.body.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "profile,stage,given_name,family_name,birth_date,email,phone,street,city,postcode,country,customer_since,segment")
        #expect(lines.last == "\(ada),prospect,Ada,,,ada@example.com,,,,,,,")
        #expect(!csv.body.contains("iban") && !csv.body.contains("Grace") && !csv.body.contains("Alan"))
        // JSON lines by Accept, or by format; chosen attributes only.
        let jsonl = try fixture.call("POST", "/v1/segments/export", as: fixture.token(.admin), json: request, extra: ["-H", "Accept: application/x-ndjson"])
        #expect(jsonl.headers.contains("Content-Type: application/x-ndjson"))
        #expect(jsonl.body == #"{"email":["ada@example.com"],"given_name":"Ada","profile":"\#(ada)","stage":"prospect"}"# + "\n")
        let chosen = try fixture.call("POST", "/v1/segments/export", as: fixture.token(.admin),
                                      json: #"{"filter":"given_name exists","channel":"email","purpose":"marketing","format":"jsonl","attributes":["email"]}"#)
        #expect(chosen.body == #"{"email":["ada@example.com"],"profile":"\#(ada)","stage":"prospect"}"# + "\n")
        let hidden = try fixture.call("POST", "/v1/segments/export", as: fixture.token(.admin),
                                      json: #"{"filter":"given_name exists","channel":"email","purpose":"marketing","attributes":["email","iban"]}"#)
        #expect(hidden.status == 422 && hidden.message.contains("unit retail may not see attribute iban (share class financial)"), "\(hidden.body)")
        let filtered = try fixture.call("POST", "/v1/segments/export", as: fixture.token(.admin),
                                        json: #"{"filter":"iban exists","channel":"email","purpose":"marketing"}"#)
        #expect(filtered.status == 400 && filtered.message.contains("share class financial is outside its audience"), "\(filtered.body)")
        #expect(try fixture.call("POST", "/v1/segments/export", as: steward, json: request).status == 403)

        // Audited: counts and a digest of the filter, never a value; the access log names the caller.
        let exports = try fixture.auditEntries(action: "segment.export")
        #expect(exports.count == 3)
        #expect(exports.contains { $0.op == "system:retail" && ($0.detail ?? "").contains("1 rows of 4 matching; excluded do-not-contact 0, opt-out 1") })
        #expect(exports.allSatisfy { !($0.detail ?? "").contains("Ada") && !($0.detail ?? "").contains("ada@") && ($0.subject ?? "").hasPrefix("sha256:") })
        #expect(try fixture.auditEntries(action: "segment.preview").contains { $0.op == "token:steward" && $0.detail == "unit retail channel email purpose marketing: 1 of 4" })
        #expect(try fixture.auditEntries(action: "api.segments.export").contains { $0.op == "system:retail" && $0.detail == "POST 200" })
        #expect(try fixture.auditEntries(action: "api.segments.preview").contains { $0.op == "token:viewer" && $0.detail == "POST 403" })

        // The profile's lifecycle: a purchase makes Ada active, decided by that interaction entry.
        let purchase = try fixture.call("POST", "/v1/records/retail/C-1/interactions", as: steward, json: #"{"type":"purchase","channel":"store","id":"p1"}"#)
        #expect(purchase.status == 201, "\(purchase.body)")
        let profile = try fixture.call("GET", "/v1/profiles/\(ada)", as: steward)
        #expect(profile.json?["lifecycle"]?["stage"] == "active" && profile.json?["lifecycle"]?["ruleIndex"] == 0, "\(profile.body)")
        #expect(profile.json?["lifecycle"]?["decidedBy"]?["kind"] == "interaction" && profile.json?["lifecycle"]?["decidedBy"]?["record"] == "retail/C-1")
        #expect(profile.json?["lifecycle"]?["decidedBy"]?["entry"] == "interaction:p1")
        try fixture.checkAgainstOpenAPI()
    }

    @Test("bad requests name what is wrong: malformed JSON, a bad filter with its column, channel, format; saved segments, their figures")
    func badRequestsAndSavedSegments() throws {
        let fixture = try seeded()
        let steward = fixture.token(.steward)
        let malformed = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"filter": "stage = active", "#)
        #expect(malformed.status == 400 && malformed.message.hasPrefix("request body: malformed JSON at line 1"), "\(malformed.body)")
        let bad = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"filter":"stage = activ","channel":"email","purpose":"marketing"}"#)
        #expect(bad.status == 400)
        #expect(bad.message == #"segment filter: column 9: expected a lifecycle stage (active, lapsed, past, prospect), found "activ""#)
        let channel = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"filter":"email exists","channel":"fax","purpose":"marketing"}"#)
        #expect(channel.status == 400 && channel.message.hasPrefix(#"unknown channel "fax""#), "\(channel.body)")
        let missing = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"filter":"email exists"}"#)
        #expect(missing.status == 400 && missing.message == "request body: $.channel: missing (a string is required)")
        let unknown = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"filter":"email exists","channel":"email","purpose":"marketing","limit":3}"#)
        #expect(unknown.status == 400 && unknown.message.hasPrefix("request body: $.limit: unknown member"))
        let format = try fixture.call("POST", "/v1/segments/export", as: fixture.token(.admin), json: #"{"filter":"email exists","channel":"email","purpose":"marketing","format":"xml"}"#)
        #expect(format.status == 400 && format.message == #"request body: $.format: expected "csv" or "jsonl""#)
        let accept = try fixture.call("POST", "/v1/segments/export", as: fixture.token(.admin), json: #"{"filter":"email exists","channel":"email","purpose":"marketing"}"#,
                                      extra: ["-H", "Accept: application/json"])
        #expect(accept.status == 400 && accept.message.hasPrefix("header Accept:"))
        #expect(try fixture.call("POST", "/v1/segments/preview", as: steward, body: Array("filter=x".utf8), contentType: "text/plain").status == 415)

        // Saved segments: save (201, then 200 replacing), list, use by name, figures, delete.
        let berlin = #"{"filter":"email exists and not known_to(insurance)","channel":"email","purpose":"marketing"}"#
        let saved = try fixture.call("PUT", "/v1/segments/with-email", as: steward, json: berlin)
        #expect(saved.status == 201 && saved.json?["savedBy"] == "token:steward" && saved.json?["unit"] == "retail", "\(saved.body)")
        #expect(try fixture.call("PUT", "/v1/segments/with-email", as: steward, json: berlin).status == 200)
        #expect(try fixture.call("PUT", "/v1/segments/Bad%20Name", as: steward, json: berlin).status == 422)
        let badSave = try fixture.call("PUT", "/v1/segments/broken", as: steward, json: #"{"filter":"email exists and","channel":"email","purpose":"marketing"}"#)
        #expect(badSave.status == 400 && badSave.message.hasPrefix("segment filter: column 17: expected a condition"), "\(badSave.body)")
        #expect(try fixture.call("PUT", "/v1/segments/x", as: fixture.token(.viewer), json: berlin).status == 403)
        let list = try fixture.call("GET", "/v1/segments", as: steward)
        #expect(list.json?["segments"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["with-email"])
        #expect(list.json?["segments"]?.arrayValue?.first?["filter"] == "email exists and not known_to(insurance)")
        let byName = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"segment":"with-email"}"#)
        #expect(try eventually { try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"segment":"with-email"}"#).json?["matched"] == 2 })
        #expect(byName.json?["segment"] == "with-email" && byName.json?["channel"] == "email")
        #expect(try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"segment":"nope"}"#).status == 404)
        let both = try fixture.call("POST", "/v1/segments/preview", as: steward, json: #"{"segment":"with-email","filter":"email exists"}"#)
        #expect(both.status == 400 && both.message == "request body: $.filter: give a filter or a saved segment, not both")

        let recorded = try fixture.retail.engine.withNode { node in try node.recordSegmentFigures(refresh: false) }
        #expect(recorded.map(\.segment) == ["with-email"])
        let figures = try fixture.call("GET", "/v1/segments/with-email/figures", as: fixture.token(.viewer))
        #expect(figures.status == 200, "\(figures.body)")
        let figure = figures.json?["figures"]?.arrayValue?.first
        #expect(figures.json?["figures"]?.arrayValue?.count == 1 && figure?["matched"] == 2 && figure?["audience"] == 1)
        #expect(figure?["excluded"]?["no-consent"] == 1)
        #expect(try fixture.call("GET", "/v1/segments/nope/figures", as: fixture.token(.viewer)).status == 404)
        #expect(try fixture.call("GET", "/v1/segments/with-email/figures?limit=0", as: fixture.token(.viewer)).status == 400)

        let deleted = try fixture.call("DELETE", "/v1/segments/with-email", as: steward)
        #expect(deleted.status == 200 && deleted.json == ["segment": "with-email", "deleted": true])
        #expect(try fixture.call("DELETE", "/v1/segments/with-email", as: steward).status == 404)
        #expect(try fixture.call("GET", "/v1/segments", as: steward).json?["segments"] == [])
        #expect(try fixture.auditEntries(action: "segment.save").count == 2)
        #expect(try fixture.auditEntries(action: "segment.delete").map(\.op) == ["token:steward"])
        #expect(try fixture.auditEntries(action: "api.segments.delete").map { "\($0.subject ?? "-") \($0.detail ?? "-")" }.sorted()
            == ["segment with-email DELETE 200", "segment with-email DELETE 404"])
        try fixture.checkAgainstOpenAPI()
    }
}
