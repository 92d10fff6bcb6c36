import AccordHTTP

/// The HTTP/1.1 request parser as a fuzz target, with small limits so the fuzzer reaches them.
///
/// Oracles: the same bytes fed whole and fed in pieces (sizes from the first byte) give the same
/// requests in the same order, and both fail or neither does; each request follows its own head
/// and carries exactly `Content-Length` body bytes; a failed parser yields nothing more, even
/// when fed again; every failure is a 4xx or 5xx status with a message.
enum HTTPFuzzing {
    static let limits: HTTPLimits = {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 256
        limits.maxHeaderBytes = 1024
        limits.maxHeaderCount = 16
        limits.maxBodyBytes = 4096
        return limits
    }()

    /// What one parse produced: a line per request, and the failure's status if one came.
    struct Outcome: Equatable {
        var requests: [String] = []
        var failure: Int?
    }

    static func run(_ bytes: [UInt8]) -> Bool {
        let whole = parse(bytes, step: max(1, bytes.count))
        let pieces = parse(bytes, step: 1 + Int(bytes.first ?? 0) % 37)
        FuzzTarget.check(whole.requests == pieces.requests, "requests differ when fed whole and in pieces")
        FuzzTarget.check((whole.failure == nil) == (pieces.failure == nil), "a failure depends on how the bytes were split")
        return !whole.requests.isEmpty
    }

    static func parse(_ bytes: [UInt8], step: Int) -> Outcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = Outcome()
        var pendingHead: HTTPRequestHead?
        var index = 0
        repeat {
            let piece = bytes[index..<min(bytes.count, index + step)]
            index += piece.count
            parser.feed(piece)
            while let event = parser.next() {
                FuzzTarget.check(outcome.failure == nil, "an event after a failure")
                switch event {
                case .head(let head):
                    FuzzTarget.check(pendingHead == nil, "two heads without a request between them")
                    FuzzTarget.check(head.contentLength >= 0 && head.target.first == "/", "a head with a bad length or target")
                    pendingHead = head
                case .request(let request):
                    guard let head = pendingHead else {
                        FuzzTarget.check(false, "a request without a head")
                        return outcome
                    }
                    FuzzTarget.check(request.head.target == head.target && request.body.count == head.contentLength,
                        "a request's body is not its head's Content-Length")
                    pendingHead = nil
                    outcome.requests.append(describe(request))
                case .failure(let error):
                    FuzzTarget.check((400...599).contains(error.status.code) && !error.message.isEmpty, "a failure without an error status")
                    outcome.failure = error.status.code
                    FuzzTarget.check(parser.phase == .failed, "a failed parser is not in the failed phase")
                }
            }
        } while index < bytes.count
        if outcome.failure != nil {
            parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            FuzzTarget.check(parser.next() == nil, "a failed parser parsed again")
        }
        return outcome
    }

    static func describe(_ request: HTTPRequest) -> String {
        let head = request.head
        let fields = head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return "\(head.method.rawValue) \(head.target) 1.\(head.minorVersion) \(head.keepAlive) \(head.expectsContinue) \(fields) \(request.body)"
    }

    /// Seeds: a pipelined GET and POST, an HTTP/1.0 request, an expectation, a refusal.
    static let seeds: [[UInt8]] = [
        "GET /v1/records/retail/R-1?fields=email HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer t\r\n\r\nPOST /v1/import HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"rows\":[1] }",
        "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "\r\nPUT /v1/policy HTTP/1.1\r\nHost: n\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
        "DELETE /v1/tokens/x HTTP/1.1\r\nHost: n\r\nTransfer-Encoding: chunked\r\n\r\n",
    ].map { Array($0.utf8) }
}
