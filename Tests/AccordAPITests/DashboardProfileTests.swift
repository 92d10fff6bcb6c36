import AccordAPI
import Foundation
import Testing

@Suite("HTTPS API: the steward's profile page")
struct DashboardProfileTests {
    @Test("/dashboard/profile: stewards and admins only; finds a person by e-mail, name, record or id; shows golden values, lineage and consent per unit; audits each view")
    func profilePage() throws {
        let fixture = try DashboardTests.fixture()
        let steward = fixture.token(.steward)
        let id = try fixture.profileID(of: "retail/C-1")
        // Who may open it.
        let anonymous = try fixture.call("GET", "/dashboard/profile", as: .anonymous)
        #expect(anonymous.status == 303 && DashboardTests.header("Location", in: anonymous.headers) == "/dashboard/login")
        #expect(try fixture.call("GET", "/dashboard/profile", as: .unit("retail")).status == 303)
        for role in [APIRole.viewer, .governance] {
            let refused = try fixture.call("GET", "/dashboard/profile?q=ada@example.com", as: fixture.token(role))
            #expect(refused.status == 403 && !refused.body.contains("Ada"), "\(role): \(refused.status)")
            if role == .governance { #expect(refused.body.contains("needs role steward or admin")) }
        }
        let overview = try fixture.call("GET", "/dashboard", as: steward)
        #expect(overview.status == 403 && overview.body.contains("profiles are at /dashboard/profile"), "\(overview.body)")

        // The search form, then one person by each kind of query.
        let form = try fixture.call("GET", "/dashboard/profile", as: steward)
        #expect(form.status == 200 && form.body.contains("name=\"q\"") && !form.body.contains("Ada"))
        #expect(form.body.contains("href=\"/dashboard/profile\"") && !form.body.contains("href=\"/dashboard/federation\""), "a steward's navigation")
        for query in ["ada@example.com", "Ada", "retail/C-1", id] {
            let page = try fixture.call("GET", "/dashboard/profile?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: steward)
            #expect(page.status == 200, "\(query): \(page.body)")
            #expect(page.body.contains("Profile \(id)"), "\(query)")
            #expect(page.body.contains("<td>given_name</td><td>Ada</td>"), "golden value: \(query)")
            #expect(page.body.contains("retail/C-1 by retail"), "lineage: \(query)")
            #expect(page.body.contains("<th>retail</th><th>insurance</th>"), "consent per unit: \(query)")
            #expect(page.body.contains("No consent decision covers this person"))
            #expect(!page.body.contains("<script") && !page.body.contains("src=\"http"))
        }
        // Consent recorded for Ada shows, with its reason, for the units it covers.
        #expect(try fixture.call("POST", "/v1/records/retail/C-1/consent", as: steward,
                                 json: #"{"channel":"email","purpose":"marketing","decision":"opt-out"}"#).status == 201)
        let withConsent = try fixture.call("GET", "/dashboard/profile?q=\(id)", as: steward)
        #expect(withConsent.body.contains("<td>retail</td><td>email</td><td>marketing</td><td class=\"bad\">no</td>"), "\(withConsent.body)")
        // Several matches, none, bad queries.
        let none = try fixture.call("GET", "/dashboard/profile?q=nobody%40example.com", as: steward)
        #expect(none.status == 200 && none.body.contains("No profile matches"))
        #expect(try fixture.call("GET", "/dashboard/profile?q=retail%2F", as: steward).status == 400)
        #expect(try fixture.call("GET", "/dashboard/profile?name=Ada", as: steward).status == 400)
        let admin = try fixture.call("GET", "/dashboard/profile?q=Grace", as: fixture.token(.admin))
        #expect(admin.status == 200 && admin.body.contains("<td>given_name</td><td>Grace</td>"), "\(admin.body)")
        #expect(admin.body.contains("href=\"/dashboard/federation\""), "an admin's navigation has every page")

        // Each view is audited, with the profile id and never the query text.
        let audited = try fixture.auditEntries(action: "dashboard.profile")
        #expect(audited.contains { $0.op == "token:steward" && $0.subject == id && $0.detail == "profile shown" })
        #expect(audited.contains { $0.op == "token:steward" && $0.detail == "search: 0 matches" })
        #expect(audited.contains { $0.op == "token:admin" && $0.detail == "profile shown" })
        #expect(!audited.contains { ($0.subject ?? "").contains("@") || ($0.detail ?? "").contains("@") || ($0.detail ?? "").contains("Ada") })

        // A steward signs in and lands on the profile page.
        let login = try fixture.call("POST", "/dashboard/login", as: .anonymous, body: Array("token=\(fixture.tokens["steward"]!)".utf8),
                                     contentType: "application/x-www-form-urlencoded")
        #expect(login.status == 303 && DashboardTests.header("Location", in: login.headers) == "/dashboard/profile")
        try fixture.checkAgainstOpenAPI()
    }
}
