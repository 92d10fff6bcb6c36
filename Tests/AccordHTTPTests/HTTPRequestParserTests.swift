import AccordHTTP
import Testing

/// Runs a parser over `input` fed in pieces of `step` bytes (0: all at once) and collects what it says.
func parse(_ input: [UInt8], limits: HTTPLimits = HTTPLimits(), step: Int = 0, bodyLimit: Int? = nil) -> [String] {
    var parser = HTTPRequestParser(limits: limits)
    var seen: [String] = []
    func drain() {
        while let event = parser.next() {
            switch event {
            case .head(let head):
                if let bodyLimit { parser.bodyLimit = bodyLimit }
                seen.append("head \(head.method.rawValue) \(head.target)")
            case .request(let request):
                seen.append("request \(request.method.rawValue) \(request.path) body=\(String(decoding: request.body, as: UTF8.self))")
            case .failure(let error):
                seen.append("failure \(error.status.code) \(error.message)")
            }
        }
    }
    if step == 0 {
        parser.feed(input)
        drain()
    } else {
        var offset = 0
        while offset < input.count {
            parser.feed(input[offset..<min(offset + step, input.count)])
            offset += step
            drain()
        }
    }
    return seen
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

struct Refusal: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    let status: Int
    let message: String
    var testDescription: String { name }
}

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    @Test("a GET, a POST with a body and pipelined requests parse the same whole or byte by byte")
    func goodRequests() {
        let input = bytes(
            "GET /v1/records?limit=5 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n"
                + "POST /v1/import HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: text/csv\r\n\r\nid,x\n"
                + "\r\nDELETE /x HTTP/1.1\r\nhost: a\r\ncontent-length: 0\r\n\r\n")
        let expected = [
            "head GET /v1/records?limit=5", "request GET /v1/records body=",
            "head POST /v1/import", "request POST /v1/import body=id,x\n",
            "head DELETE /x", "request DELETE /x body=",
        ]
        #expect(parse(input) == expected)
        for step in [1, 2, 3, 7, 64] { #expect(parse(input, step: step) == expected, "step \(step)") }
    }

    @Test("the head carries target parts, headers case-insensitively, keep-alive and Expect")
    func headFields() throws {
        var parser = HTTPRequestParser()
        parser.feed(bytes("PUT /a/b%20c?x=1&y HTTP/1.1\r\nHOST: h\r\nX-Thing:  padded value \t\r\nConnection: Keep-Alive, Close\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok"))
        guard case .head(let head) = parser.next() else { Issue.record("no head"); return }
        #expect(head.path == "/a/b%20c")
        #expect(head.rawQuery == "x=1&y")
        #expect(head.headers["x-thing"] == "padded value")
        #expect(head.headers["host"] == "h")
        #expect(head.keepAlive == false)
        #expect(head.expectsContinue)
        #expect(head.contentLength == 2)
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body == bytes("ok"))
        #expect(try request.query().pairs.map(\.name) == ["x", "y"])
        #expect(parser.next() == nil)
    }

    @Test("HTTP/1.0 closes unless keep-alive is asked for, needs no Host, ignores Expect")
    func http10() {
        var parser = HTTPRequestParser()
        parser.feed(bytes("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\n\r\n"))
        guard case .head(let first) = parser.next() else { Issue.record("no head"); return }
        #expect(first.keepAlive == false && first.minorVersion == 0)
        _ = parser.next()
        guard case .head(let second) = parser.next() else { Issue.record("no head"); return }
        #expect(second.keepAlive && !second.expectsContinue)
    }

    static let refusals: [Refusal] = [
        Refusal(name: "bare LF request line", input: "GET / HTTP/1.1\nHost: a\r\n\r\n", status: 400, message: "CRLF"),
        Refusal(name: "bare LF header", input: "GET / HTTP/1.1\r\nHost: a\n\r\n", status: 400, message: "CRLF"),
        Refusal(name: "two spaces", input: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, message: "single spaces"),
        Refusal(name: "two parts", input: "GET /\r\nHost: a\r\n\r\n", status: 400, message: "METHOD SP TARGET SP VERSION"),
        Refusal(name: "method not a token", input: "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, message: "not a token"),
        Refusal(name: "unknown method", input: "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", status: 501, message: "BREW is not implemented"),
        Refusal(name: "lower-case method", input: "get / HTTP/1.1\r\nHost: a\r\n\r\n", status: 501, message: "not implemented"),
        Refusal(name: "HTTP/2.0", input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505, message: "HTTP/2.0 is not supported"),
        Refusal(name: "HTTP/1.2", input: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505, message: "not supported"),
        Refusal(name: "not a version", input: "GET / HTTQ/1.1\r\nHost: a\r\n\r\n", status: 400, message: "HTTP version"),
        Refusal(name: "absolute form", input: "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, message: "origin form"),
        Refusal(name: "asterisk", input: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, message: "origin form"),
        Refusal(name: "fragment", input: "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, message: "fragment"),
        Refusal(name: "non-ASCII target", input: "GET /ä HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, message: "percent-encode"),
        Refusal(name: "obs-fold", input: "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n", status: 400, message: "folding"),
        Refusal(name: "space before colon", input: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400, message: "whitespace"),
        Refusal(name: "no colon", input: "GET / HTTP/1.1\r\nHost a\r\n\r\n", status: 400, message: "no colon"),
        Refusal(name: "empty name", input: "GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", status: 400, message: "empty"),
        Refusal(name: "NUL in value", input: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", status: 400, message: "control character"),
        Refusal(name: "CR in value", input: "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", status: 400, message: "control character"),
        Refusal(name: "no Host", input: "GET / HTTP/1.1\r\n\r\n", status: 400, message: "exactly one Host"),
        Refusal(name: "two Hosts", input: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, message: "it has 2"),
        Refusal(name: "duplicate Content-Length", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", status: 400, message: "given 2 times"),
        Refusal(name: "Content-Length list", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx", status: 400, message: "decimal"),
        Refusal(name: "negative Content-Length", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400, message: "decimal"),
        Refusal(name: "both lengths", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, message: "both"),
        Refusal(name: "chunked upload", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 501, message: "chunked"),
        Refusal(name: "TE in 1.0", input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, message: "HTTP/1.0"),
        Refusal(name: "unknown expectation", input: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", status: 417, message: "100-continue"),
        Refusal(name: "huge Content-Length", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 413, message: "maxBodyBytes"),
    ]

    @Test("every malformed or unsupported request is refused with its status and says why", arguments: refusals)
    func refusal(_ case_: Refusal) {
        for step in [0, 1] {
            let events = parse(bytes(case_.input), step: step)
            guard let last = events.last, last.hasPrefix("failure ") else {
                Issue.record("\(case_.name): not refused: \(events)")
                continue
            }
            #expect(last.hasPrefix("failure \(case_.status) "), "\(case_.name): \(last)")
            #expect(last.contains(case_.message), "\(case_.name): \(last)")
            #expect(!events.contains { $0.hasPrefix("request") }, "\(case_.name) reached a request")
        }
    }

    @Test("each limit is refused with its status and names the limit, also before the line ends")
    func limits() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 128
        limits.maxHeaderCount = 3
        limits.maxBodyBytes = 10
        let longLine = "GET /" + String(repeating: "a", count: 80) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse(bytes(longLine), limits: limits).last?.hasPrefix("failure 414") == true)
        #expect(parse(bytes(longLine), limits: limits).last?.contains("maxRequestLineBytes") == true)
        // Without any line end at all: refused as soon as the bytes pass the limit, not buffered forever.
        let endless = parse(bytes("GET /" + String(repeating: "a", count: 200)), limits: limits, step: 1)
        #expect(endless == ["failure 414 the request line is longer than 64 bytes (limit maxRequestLineBytes)"])
        let bigHeader = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 200) + "\r\n\r\n"
        #expect(parse(bytes(bigHeader), limits: limits).last?.hasPrefix("failure 431") == true)
        #expect(parse(bytes(bigHeader), limits: limits).last?.contains("maxHeaderBytes") == true)
        let endlessHeader = parse(bytes("GET / HTTP/1.1\r\nX: " + String(repeating: "b", count: 300)), limits: limits, step: 5)
        #expect(endlessHeader.last?.contains("maxHeaderBytes") == true)
        let manyHeaders = "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        #expect(parse(bytes(manyHeaders), limits: limits).last == "failure 431 the request has more than 3 header fields (limit maxHeaderCount)")
        let bigBody = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"
        #expect(parse(bytes(bigBody), limits: limits).last == "failure 413 the request body of 11 bytes is larger than 10 bytes (limit maxBodyBytes)")
        // A responder may allow one request more after its head.
        #expect(parse(bytes(bigBody + "hello world"), limits: limits, bodyLimit: 11).last == "request POST / body=hello world")
        #expect(parse(bytes(bigBody), limits: limits, bodyLimit: 5).last?.contains("larger than 5 bytes") == true)
    }

    @Test("nothing is parsed after a failure; empty lines between requests are skipped")
    func afterFailure() {
        #expect(parse(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")) == ["head GET /", "request GET / body="])
        #expect(parse(bytes("GET / HTTP/9.9\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")).count == 1)
    }

    @Test("the phase tells idle, head and body apart")
    func phases() {
        var parser = HTTPRequestParser()
        #expect(parser.phase == .idle)
        parser.feed(bytes("\r\n"))
        #expect(parser.phase == .idle)
        parser.feed(bytes("PO"))
        #expect(parser.phase == .head)
        parser.feed(bytes("ST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nx"))
        while parser.next() != nil {}
        #expect(parser.phase == .body)
        parser.feed(bytes("y"))
        guard case .request = parser.next() else { Issue.record("no request"); return }
        #expect(parser.phase == .idle)
        parser.feed(bytes("GET / HTTP/1.1 \r\n"))
        _ = parser.next()
        #expect(parser.phase == .failed)
    }

    @Test("arbitrary bytes, fed in arbitrary pieces, never trap the parser")
    func noiseNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = bytes("GET POST /a?b=%2 HTTP/1.1\r\n:Host Content-Length: 12 chunked\t") + [0, 0x7F, 0xFF]
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<200, using: &generator)
            let input = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            _ = parse(input, step: Int.random(in: 0...5, using: &generator))
        }
    }
}
