import AccordHTTP
import Testing

@Suite("Routing, queries and JSON")
struct RoutingTests {
    func router() -> Router<String> {
        var router = Router<String>()
        router.add(.get, "/v1/records", "list")
        router.add(.get, "/v1/records/{unit}/{id}", "read")
        router.add(.patch, "/v1/records/{unit}/{id}", "write")
        router.add(.get, "/v1/records/{unit}/{id}/consent", "consent")
        router.add(.post, "/v1/import", "import")
        return router
    }

    func target(_ match: Router<String>.Match) -> String {
        switch match {
        case .matched(let route, let parameters):
            return route.target + parameters.values.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        case .methodNotAllowed(let allowed): return "405 " + allowed.map(\.rawValue).joined(separator: ",")
        case .notFound: return "404"
        }
    }

    @Test("paths match literals and decode parameters; encoded slashes stay inside a parameter")
    func matching() throws {
        let router = router()
        #expect(target(try router.match(.get, path: "/v1/records")) == "list")
        #expect(target(try router.match(.get, path: "/v1/records/retail/C-1")) == "read id=C-1 unit=retail")
        #expect(target(try router.match(.get, path: "/v1/records/retail/C%2F1%20x")) == "read id=C/1 x unit=retail")
        #expect(target(try router.match(.head, path: "/v1/records/retail/C-1")) == "read id=C-1 unit=retail")
        #expect(target(try router.match(.patch, path: "/v1/records/retail/C-1")) == "write id=C-1 unit=retail")
        #expect(target(try router.match(.get, path: "/v1/records/retail/C-1/consent")) == "consent id=C-1 unit=retail")
        #expect(target(try router.match(.delete, path: "/v1/records/retail/C-1")) == "405 GET,HEAD,PATCH")
        #expect(target(try router.match(.get, path: "/v1/import")) == "405 POST")
        #expect(target(try router.match(.get, path: "/v1/records/retail")) == "404")
        #expect(target(try router.match(.get, path: "/v1/records/")) == "404")
        #expect(target(try router.match(.get, path: "/v1/records//C-1")) == "404")
        #expect(target(try router.match(.get, path: "/v1/nothing")) == "404")
        #expect(throws: HTTPError.self) { try router.match(.get, path: "/v1/records/retail/%zz") }
        #expect(throws: HTTPError.self) { try router.match(.get, path: "/v1/records/retail/%ff") }
        let error = HTTPError.methodNotAllowed("DELETE", allowed: [.patch, .get, .head])
        #expect(error.status == .methodNotAllowed && error.headers["allow"] == "GET, HEAD, PATCH")
    }

    @Test("query strings decode percent escapes and +, refuse malformed ones, repeats and unknown names")
    func queries() throws {
        let query = try QueryParameters(parsing: "owner=retail&after=C%2D1+x&flag&limit=20")
        #expect(try query.value("after") == "C-1 x")
        #expect(try query.value("flag") == "")
        #expect(try query.integer("limit", default: 100, range: 1...1000) == 20)
        #expect(try query.integer("missing", default: 100, range: 1...1000) == 100)
        #expect(throws: HTTPError.self) { try query.allowOnly(["owner", "after", "limit"]) }
        try query.allowOnly(["owner", "after", "limit", "flag"])
        #expect(throws: HTTPError.self) { try QueryParameters(parsing: "a=%4") }
        #expect(throws: HTTPError.self) { try QueryParameters(parsing: "a=%C3") }
        #expect(throws: HTTPError.self) { try QueryParameters(parsing: "limit=0").integer("limit", default: 1, range: 1...5) }
        #expect(throws: HTTPError.self) { try QueryParameters(parsing: "a=1&a=2").value("a") }
        #expect(throws: HTTPError.self) { try QueryParameters(parsing: "b=1").required("a") }
        #expect(try QueryParameters(parsing: nil).pairs.isEmpty)
        #expect(PercentEncoding.encode("C/1 ä") == "C%2F1%20%C3%A4")
        #expect(PercentEncoding.decode("C%2F1%20%C3%A4", plusIsSpace: false) == "C/1 ä")
    }

    @Test("JSON round-trips, writes sorted keys and escapes, and keeps big integers exact")
    func jsonRoundTrip() throws {
        let text = #"{"b":[1,-2.5e3,true,null],"a":"x\"\\\n\u0001é😀","n":9007199254740993}"#
        let value = try JSON.parse(bytes(text))
        #expect(value["n"]?.int64Value == 9_007_199_254_740_993)
        #expect(value["a"]?.stringValue == "x\"\\\n\u{1}é😀")
        let written = String(decoding: value.serialized(), as: UTF8.self)
        #expect(written == #"{"a":"x\"\\\n\u0001é😀","b":[1,-2.5e3,true,null],"n":9007199254740993}"#)
        #expect(try JSON.parse(value.serialized()) == value)
        #expect(try JSON.parse(bytes(#""\ud83d\ude00""#)) == .string("😀"))
    }

    @Test("malformed JSON is refused with line, column and path")
    func jsonErrors() {
        let cases: [(String, String)] = [
            ("{\"a\": {\"b\": [1, 2,]}}", "line 1, column 19 ($.a.b[2]): unexpected \"]\", expected a value"),
            ("{\"a\": 1,\n \"a\": 2}", "($.a): duplicate member name"),
            ("{\"a\": 01}", "leading zeros"),
            ("{\"a\": \"\u{1}\"}", "control character"),
            ("[1] x", "after the end of the document"),
            ("", "unexpected end of document"),
            ("{\"a\" 1}", "expected \":\""),
            ("\"\\ud800\"", "low surrogate"),
            ("\"\\x\"", "unknown escape"),
            ("nul", "expected a value"),
            (String(repeating: "[", count: 70) + String(repeating: "]", count: 70), "nested deeper than 64 levels"),
        ]
        for (input, expected) in cases {
            do {
                _ = try JSON.parse(bytes(input))
                Issue.record("accepted \(input)")
            } catch {
                #expect(error.description.contains(expected), "\(input): \(error)")
            }
        }
        do {
            _ = try JSON.parse([0x22, 0xC3, 0x28, 0x22])
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.description.contains("not valid UTF-8"))
        }
    }

    @Test("JSONFields names the path of missing, mistyped and unknown members")
    func fields() throws {
        let body = try JSONFields(try JSON.parse(bytes(#"{"channel":"email","n":"x","nested":{"deep":1},"extra":true}"#)))
        #expect(try body.string("channel") == "email")
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return (error as? HTTPError)?.message ?? "\(error)" }
        }
        #expect(message { _ = try body.string("purpose") } == "request body: $.purpose: missing (a string is required)")
        #expect(message { _ = try body.optionalInteger("n", in: 0...5) } == "request body: $.n: expected an integer, found string")
        #expect(message { _ = try body.object("nested").string("deep") } == "request body: $.nested.deep: expected a string, found integer")
        #expect(message { try body.allowOnly(["channel", "n", "nested"]) } == "request body: $.extra: unknown member (allowed: channel, n, nested)")
        #expect(message { _ = try JSONFields(.array([])) } == "request body: $: expected an object, found array")
        #expect(JSONFields.component("a b") == #"["a b"]"#)
    }

    @Test("responses: JSON errors with their status; other errors as a generic 500")
    func errorResponses() {
        let known = HTTPResponse.error(HTTPError(.forbidden, "role viewer may not read records"))
        #expect(known.status == .forbidden)
        #expect(String(decoding: known.body, as: UTF8.self) == #"{"error":{"message":"role viewer may not read records"}}"#)
        struct Secret: Error { let detail = "password=hunter2" }
        let unknown = HTTPResponse.error(Secret())
        #expect(unknown.status == .internalServerError)
        #expect(String(decoding: unknown.body, as: UTF8.self) == #"{"error":{"message":"internal error"}}"#)
    }
}
