import AccordAPI
import AccordHTTP
import Foundation
import Testing

@Suite("HTTPS API: the data inventory route and dashboard page")
struct InventoryRouteTests {
    @Test("GET /v1/inventory: per unit and attribute, for viewers and unit systems, ?unit= narrows, matches the OpenAPI file")
    func route() throws {
        let fixture = try DashboardTests.fixture()
        #expect(try fixture.call("GET", "/v1/inventory", as: .anonymous).status == 401)
        let reply = try fixture.call("GET", "/v1/inventory", as: fixture.token(.viewer))
        #expect(reply.status == 200, "\(reply.body)")
        let rows = try #require(reply.json?["attributes"]?.arrayValue)
        func row(_ unit: String, _ attribute: String) -> JSON? {
            rows.first { $0["unit"]?.stringValue == unit && $0["attribute"]?.stringValue == attribute }
        }
        let name = try #require(row("retail", "given_name"))
        #expect(name["records"]?.int64Value == 3 && name["carrying"]?.int64Value == 3 && name["valid"]?.int64Value == 3)
        #expect(name["shareClass"]?.stringValue == "identity" && name["writers"]?.arrayValue?.compactMap(\.stringValue) == ["retail"])
        let email = try #require(row("retail", "email"))
        #expect(email["carrying"]?.int64Value == 1 && email["writers"]?.arrayValue?.compactMap(\.stringValue) == ["retail", "support"])
        #expect(email["audience"]?.arrayValue?.count == 5 && email["purposes"]?.arrayValue?.compactMap(\.stringValue) == ["marketing", "service"])
        #expect(reply.json?["findings"]?.arrayValue?.isEmpty == true)
        #expect(!reply.body.contains("Ada") && !reply.body.contains("example.com"), "personal data in the inventory")
        #expect(try fixture.call("GET", "/v1/inventory", as: .unit("retail")).status == 200)
        let insurance = try fixture.call("GET", "/v1/inventory?unit=insurance", as: fixture.token(.governance))
        #expect(insurance.status == 200)
        #expect(insurance.json?["attributes"]?.arrayValue?.allSatisfy { $0["unit"]?.stringValue == "insurance" } == true)
        #expect(insurance.json?["attributes"]?.arrayValue?.isEmpty == false)
        let unknown = try fixture.call("GET", "/v1/inventory?unit=nobody", as: fixture.token(.viewer))
        #expect(unknown.status == 400 && unknown.message.contains("not a member"))
        #expect(try fixture.call("GET", "/v1/inventory?limit=3", as: fixture.token(.viewer)).status == 400)
        try fixture.checkAgainstOpenAPI()
    }

    @Test("the inventory page: governance and admin only, a table per unit, the findings panel")
    func page() throws {
        let fixture = try DashboardTests.fixture()
        #expect(try fixture.call("GET", "/dashboard/inventory", as: fixture.token(.viewer)).status == 403)
        let page = try fixture.call("GET", "/dashboard/inventory", as: fixture.token(.governance))
        #expect(page.status == 200)
        #expect(page.body.contains("<h1>Data inventory</h1>") && page.body.contains("Minimization findings: 0"))
        #expect(page.body.contains("retail: 3 records") && page.body.contains("<td>given_name</td><td>identity</td><td>direct</td><td class=\"num\">3</td><td class=\"num\">100%</td>"),
                "\(page.body)")
        #expect(page.body.contains("<td>retail, support</td>") && page.body.contains("<svg"))
        #expect(page.body.contains("href=\"/dashboard/inventory\" class=\"current\""))
        #expect(!page.body.contains("Ada") && !page.body.contains("example.com"))
        try fixture.checkAgainstOpenAPI()
    }
}
