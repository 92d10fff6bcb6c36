import AccordAPI
import AccordHTTP
import Foundation
import Testing

@Suite("HTTPS API: profiles and review")
struct ProfileRouteTests {
    @Test("profiles by id, e-mail and record; the review queue; accept writes a must-link; roles; audit")
    func profilesAndReview() throws {
        let fixture = try APIFixture()
        let steward = fixture.token(.steward)
        func search(_ query: String) throws -> [JSON] {
            try fixture.call("GET", "/v1/profiles?" + query, as: steward).json?["profiles"]?.arrayValue ?? []
        }
        // The records were written before the server started: its profile service's first step holds them.
        #expect(fixture.api.waitForProfiles(timeout: 60))
        #expect(try search("record=retail/C-1").count == 1)
        let profile = try #require(try search("record=retail/C-1").first)
        let id = try #require(profile["id"]?.stringValue)
        #expect(profile["records"] == ["retail/C-1"])
        let read = try fixture.call("GET", "/v1/profiles/\(id)", as: steward)
        // The stored document, plus the lifecycle stage (as of now, for this unit) with its rule.
        var stored = read.json?.objectValue ?? [:]
        #expect(stored.removeValue(forKey: "lifecycle")?["stage"] == "prospect")
        #expect(read.status == 200 && JSON.object(stored) == profile)
        #expect(try search("email=ADA@example.com").first?["id"]?.stringValue == id)
        #expect(try fixture.call("GET", "/v1/profiles/p" + String(repeating: "0", count: 32), as: steward).status == 404)
        #expect(try fixture.call("GET", "/v1/profiles/nope", as: steward).status == 400)
        #expect(try fixture.call("GET", "/v1/profiles", as: steward).status == 400)
        #expect(try fixture.call("GET", "/v1/profiles/\(id)", as: fixture.token(.viewer)).status == 403)

        // Two look-alikes: reviewed, not linked; accepting links them on every node.
        for (localId, given, family) in [("C-5", "Anna", "Schmidt"), ("C-6", "Ana", "Schmit")] {
            let written = try fixture.call("PATCH", "/v1/records/retail/\(localId)", as: steward,
                                           json: #"{"values":{"given_name":"\#(given)","family_name":"\#(family)","birth_date":"1985-03-02"}}"#)
            #expect(written.status == 200, "\(written.body)")
        }
        var pairs: [JSON] = []
        #expect(try eventually {
            pairs = try fixture.call("GET", "/v1/review", as: steward).json?["pairs"]?.arrayValue ?? []
            return !pairs.isEmpty
        })
        let pair = try #require(pairs.first?["id"]?.stringValue)
        let ofProfile = try #require(pairs.first?["firstProfile"]?.stringValue)
        #expect(try fixture.call("GET", "/v1/review?profile=\(ofProfile)", as: steward).json?["pairs"]?.arrayValue?.first?["id"]?.stringValue == pair)
        #expect(try fixture.call("GET", "/v1/review", as: fixture.token(.viewer)).status == 403)
        #expect(try fixture.call("POST", "/v1/review/\(pair)/accept", as: fixture.token(.viewer), json: "{}").status == 403)
        #expect(try fixture.call("POST", "/v1/review/m123/accept", as: steward, json: "{}").status == 400)
        #expect(try fixture.call("POST", "/v1/review/m" + String(repeating: "0", count: 32) + "/reject", as: steward, json: "{}").status == 404)
        let accepted = try fixture.call("POST", "/v1/review/\(pair)/accept", as: steward, json: #"{"reason":"ticket 7"}"#)
        #expect(accepted.status == 200, "\(accepted.body)")
        #expect(accepted.json?["decision"] == "mustLink")
        #expect(try eventually { try search("record=retail/C-5").first?["records"] == ["retail/C-5", "retail/C-6"] })
        #expect(try fixture.auditEntries(action: "api.review.accept").filter { $0.detail == "POST 200" }.count == 1)
        #expect(try fixture.auditEntries(action: "api.review.accept").contains { $0.detail == "POST 403" })
        #expect(try fixture.auditEntries(action: "review.mustLink").count == 1)
        try fixture.checkAgainstOpenAPI()
    }
}
