/// An incremental, strict HTTP/1.1 request parser: a pure state machine over bytes, with no I/O
/// (the server feeds it what it reads; a fuzzer may feed it anything).
///
/// Feed bytes with ``feed(_:)``, then call ``next()`` until it returns `nil` (it needs more bytes).
/// Each request yields ``Event/head(_:)`` once its header fields are complete (the caller may then
/// set ``bodyLimit`` for that request and answer `Expect: 100-continue`), then
/// ``Event/request(_:)`` once its body is complete. Pipelined requests follow in order. A
/// malformed request yields ``Event/failure(_:)`` with the status to answer, after which the
/// parser yields nothing more (the connection must close).
///
/// Refused, each with its status and a message naming what and which limit:
/// - request line longer than ``HTTPLimits/maxRequestLineBytes``: 414;
/// - header lines beyond ``HTTPLimits/maxHeaderBytes`` or ``HTTPLimits/maxHeaderCount``: 431;
/// - `Content-Length` beyond ``bodyLimit``: 413;
/// - a method the server does not implement: 501; `Transfer-Encoding` (chunked uploads): 501;
/// - an HTTP version other than 1.1 and 1.0: 505; an `Expect` other than `100-continue`: 417;
/// - anything else malformed: 400: lines not ending in CRLF, more or less than single spaces in
///   the request line, a target that is not a path (origin form) or holds a fragment, control or
///   non-ASCII bytes in the target, obsolete line folding, whitespace before a header's colon,
///   control characters in a header value, a missing or repeated `Host` (HTTP/1.1), a repeated or
///   non-numeric `Content-Length`, both `Content-Length` and `Transfer-Encoding`.
public struct HTTPRequestParser: Sendable {
    /// What the parser found.
    public enum Event: Sendable {
        /// A request's line and header fields are complete and valid.
        case head(HTTPRequestHead)
        /// A request is complete, body included.
        case request(HTTPRequest)
        /// The input is not an acceptable request; answer with the error and close.
        case failure(HTTPError)
    }

    /// Where the parser is within a request, for choosing the read deadline.
    public enum Phase: Sendable, Equatable {
        /// Between requests: no byte of the next request has arrived (empty lines aside).
        case idle
        /// Reading a request line or header fields.
        case head
        /// Reading a body.
        case body
        /// After a failure: nothing more is parsed.
        case failed
    }

    /// The limits in force.
    public let limits: HTTPLimits
    /// The most body bytes the current request may carry. Reset to ``HTTPLimits/maxBodyBytes``
    /// for each request; the caller may change it between ``Event/head(_:)`` and the next call.
    public var bodyLimit: Int

    private var buffer: [UInt8] = []
    private var start = 0
    private var searchFrom = 0
    private var state = State.requestLine

    private enum State: Sendable {
        case requestLine
        case headers(PartialHead)
        case bodyPending(HTTPRequestHead)
        case body(HTTPRequestHead)
        case failed
    }

    private struct PartialHead: Sendable {
        var method: HTTPMethod
        var target: String
        var minorVersion: Int
        var headers = HTTPHeaders()
        var headerBytes = 0
    }

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    /// Creates a parser.
    /// - Parameter limits: the limits to enforce.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.bodyLimit = limits.maxBodyBytes
    }

    /// Appends received bytes.
    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            searchFrom -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Where the parser is within a request.
    public var phase: Phase {
        switch state {
        case .requestLine: buffer[start...].contains { $0 != Self.cr && $0 != Self.lf } ? .head : .idle
        case .headers: .head
        case .bodyPending, .body: .body
        case .failed: .failed
        }
    }

    /// The next event, or `nil` when more bytes are needed (or after a failure).
    public mutating func next() -> Event? {
        while true {
            switch state {
            case .failed:
                return nil
            case .requestLine:
                guard let end = lineEnd() else {
                    if buffer.count - start > limits.maxRequestLineBytes + 2 { return fail(Self.requestLineTooLong(limits)) }
                    return nil
                }
                let line = take(through: end)
                if line == [Self.cr] { continue }  // an empty line before a request is ignored (RFC 9112 2.2)
                switch Self.requestLine(line, limits: limits) {
                case .success(let partial): state = .headers(partial)
                case .failure(let error): return fail(error)
                }
            case .headers(var partial):
                guard let end = lineEnd() else {
                    if partial.headerBytes + buffer.count - start > limits.maxHeaderBytes { return fail(Self.headersTooLarge(limits)) }
                    return nil
                }
                partial.headerBytes += end + 1 - start
                if partial.headerBytes > limits.maxHeaderBytes { return fail(Self.headersTooLarge(limits)) }
                let line = take(through: end)
                guard line.last == Self.cr else { return fail(HTTPError(.badRequest, "header lines must end with CRLF")) }
                if line.count == 1 {
                    switch Self.finish(partial) {
                    case .success(let head):
                        bodyLimit = limits.maxBodyBytes
                        state = .bodyPending(head)
                        return .head(head)
                    case .failure(let error):
                        return fail(error)
                    }
                }
                guard partial.headers.count < limits.maxHeaderCount else {
                    return fail(HTTPError(.headerFieldsTooLarge, "the request has more than \(limits.maxHeaderCount) header fields (limit maxHeaderCount)"))
                }
                switch Self.field(line.dropLast()) {
                case .success(let field): partial.headers.add(field.name, field.value)
                case .failure(let error): return fail(error)
                }
                state = .headers(partial)
            case .bodyPending(let head):
                guard head.contentLength <= bodyLimit else {
                    return fail(HTTPError(.contentTooLarge, "the request body of \(head.contentLength) bytes is larger than \(bodyLimit) bytes (limit maxBodyBytes)"))
                }
                state = .body(head)
            case .body(let head):
                guard buffer.count - start >= head.contentLength else { return nil }
                let body = Array(buffer[start..<start + head.contentLength])
                start += head.contentLength
                searchFrom = start
                state = .requestLine
                return .request(HTTPRequest(head: head, body: body))
            }
        }
    }

    // MARK: - Lines

    /// The index of the next LF from `start`, continuing where the last search stopped.
    private mutating func lineEnd() -> Int? {
        var index = max(searchFrom, start)
        while index < buffer.count {
            if buffer[index] == Self.lf { return index }
            index += 1
        }
        searchFrom = index
        return nil
    }

    /// The bytes from `start` up to (not including) the LF at `end`, consumed with the LF.
    private mutating func take(through end: Int) -> ArraySlice<UInt8> {
        let line = buffer[start..<end]
        start = end + 1
        searchFrom = start
        return line
    }

    private mutating func fail(_ error: HTTPError) -> Event {
        state = .failed
        buffer = []
        start = 0
        searchFrom = 0
        return .failure(error)
    }

    // MARK: - Request line and fields

    private static func requestLineTooLong(_ limits: HTTPLimits) -> HTTPError {
        HTTPError(.uriTooLong, "the request line is longer than \(limits.maxRequestLineBytes) bytes (limit maxRequestLineBytes)")
    }

    private static func headersTooLarge(_ limits: HTTPLimits) -> HTTPError {
        HTTPError(.headerFieldsTooLarge, "the request's header fields are larger than \(limits.maxHeaderBytes) bytes (limit maxHeaderBytes)")
    }

    private static func requestLine(_ line: ArraySlice<UInt8>, limits: HTTPLimits) -> Result<PartialHead, HTTPError> {
        guard line.last == cr else { return .failure(HTTPError(.badRequest, "the request line must end with CRLF")) }
        let content = line.dropLast()
        guard content.count <= limits.maxRequestLineBytes else { return .failure(requestLineTooLong(limits)) }
        let parts = content.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, let methodBytes = parts.first, !methodBytes.isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else {
            return .failure(HTTPError(.badRequest, "the request line must be METHOD SP TARGET SP VERSION, single spaces"))
        }
        guard methodBytes.allSatisfy(isTokenByte) else { return .failure(HTTPError(.badRequest, "the method is not a token")) }
        let target = parts[1]
        guard target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(HTTPError(.badRequest, "the request target holds control, space or non-ASCII bytes (percent-encode them)"))
        }
        guard target.first == UInt8(ascii: "/") else {
            return .failure(HTTPError(.badRequest, "the request target must be a path starting with / (origin form)"))
        }
        guard !target.contains(UInt8(ascii: "#")) else { return .failure(HTTPError(.badRequest, "the request target may not hold a fragment (#)")) }
        let version = parts[2]
        let minor: Int
        switch Array(version) {
        case Array("HTTP/1.1".utf8): minor = 1
        case Array("HTTP/1.0".utf8): minor = 0
        default:
            let digit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
            let bytes = Array(version)
            if bytes.count == 8, bytes.starts(with: Array("HTTP/".utf8)), digit(bytes[5]), bytes[6] == UInt8(ascii: "."), digit(bytes[7]) {
                return .failure(HTTPError(.versionNotSupported, "HTTP version \(String(decoding: bytes, as: UTF8.self)) is not supported (HTTP/1.1 and HTTP/1.0 are)"))
            }
            return .failure(HTTPError(.badRequest, "the request line does not end with an HTTP version such as HTTP/1.1"))
        }
        let methodName = String(decoding: methodBytes, as: UTF8.self)
        guard let method = HTTPMethod(rawValue: methodName) else {
            return .failure(HTTPError(.notImplemented, "method \(methodName.prefix(32)) is not implemented"))
        }
        return .success(PartialHead(method: method, target: String(decoding: target, as: UTF8.self), minorVersion: minor))
    }

    private static func field(_ line: ArraySlice<UInt8>) -> Result<(name: String, value: String), HTTPError> {
        guard let first = line.first else { return .failure(HTTPError(.badRequest, "an empty header line")) }
        guard first != UInt8(ascii: " ") && first != 0x09 else {
            return .failure(HTTPError(.badRequest, "obsolete line folding (a header line starting with whitespace) is not accepted"))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(HTTPError(.badRequest, "a header line has no colon"))
        }
        let nameBytes = line[line.startIndex..<colon]
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(isTokenByte) else {
            let shown = String(decoding: nameBytes.prefix(64).filter { $0 > 0x20 && $0 < 0x7F }, as: UTF8.self)
            return .failure(HTTPError(.badRequest, "header field name \"\(shown)\" is empty, holds whitespace or other bytes that are not allowed"))
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var value = line[(colon + 1)...]
        while let byte = value.first, byte == UInt8(ascii: " ") || byte == 0x09 { value.removeFirst() }
        while let byte = value.last, byte == UInt8(ascii: " ") || byte == 0x09 { value.removeLast() }
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            return .failure(HTTPError(.badRequest, "header field \(name.prefix(64)) holds a control character"))
        }
        return .success((name: name, value: String(decoding: value, as: UTF8.self)))
    }

    private static func finish(_ partial: PartialHead) -> Result<HTTPRequestHead, HTTPError> {
        let headers = partial.headers
        let hosts = headers.values("Host")
        if partial.minorVersion == 1 && hosts.count != 1 {
            return .failure(HTTPError(.badRequest, "an HTTP/1.1 request needs exactly one Host header field, it has \(hosts.count)"))
        }
        let lengths = headers.values("Content-Length")
        var contentLength = 0
        if lengths.count > 1 { return .failure(HTTPError(.badRequest, "Content-Length is given \(lengths.count) times")) }
        if let text = lengths.first {
            guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                return .failure(HTTPError(.badRequest, "Content-Length must be a decimal number of bytes"))
            }
            contentLength = text.utf8.count > 18 ? Int.max : Int(text)!
        }
        if headers.contains("Transfer-Encoding") {
            if !lengths.isEmpty {
                return .failure(HTTPError(.badRequest, "a request may not have both Content-Length and Transfer-Encoding"))
            }
            if partial.minorVersion == 0 { return .failure(HTTPError(.badRequest, "Transfer-Encoding is not defined for HTTP/1.0")) }
            return .failure(HTTPError(.notImplemented, "Transfer-Encoding (chunked request bodies) is not supported: send the body with Content-Length"))
        }
        let options = Set(headers.values("Connection").flatMap { $0.split(separator: ",") }.map {
            $0.strippingOptionalWhitespace.lowercased()
        })
        let keepAlive = partial.minorVersion == 1 ? !options.contains("close") : options.contains("keep-alive") && !options.contains("close")
        let expectations = headers.values("Expect")
        var expectsContinue = false
        if partial.minorVersion == 1 && !expectations.isEmpty {
            guard expectations.count == 1, expectations[0].lowercased() == "100-continue" else {
                return .failure(HTTPError(.expectationFailed, "the only expectation supported is Expect: 100-continue"))
            }
            expectsContinue = true
        }
        return .success(HTTPRequestHead(
            method: partial.method, target: partial.target, minorVersion: partial.minorVersion, headers: headers,
            contentLength: contentLength, keepAlive: keepAlive, expectsContinue: expectsContinue))
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }
}
