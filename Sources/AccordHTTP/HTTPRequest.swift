/// The request line and header fields of a request, as the parser read and checked them.
public struct HTTPRequestHead: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target as sent (origin form: `/path?query`).
    public var target: String
    /// The path part of the target, still percent-encoded.
    public var path: String
    /// The query part of the target (after `?`), still percent-encoded; `nil` without `?`.
    public var rawQuery: String?
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body's length from `Content-Length` (0 without it).
    public var contentLength: Int
    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool
    /// Whether the client waits for `100 Continue` before sending the body (`Expect: 100-continue`).
    public var expectsContinue: Bool

    /// Creates a head (the parser makes them; tests and responders may too).
    public init(
        method: HTTPMethod, target: String, minorVersion: Int = 1, headers: HTTPHeaders = HTTPHeaders(), contentLength: Int = 0,
        keepAlive: Bool = true, expectsContinue: Bool = false
    ) {
        self.method = method
        self.target = target
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            rawQuery = String(target[target.index(after: mark)...])
        } else {
            path = target
            rawQuery = nil
        }
        self.minorVersion = minorVersion
        self.headers = headers
        self.contentLength = contentLength
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}

/// A complete request: its head and its body.
public struct HTTPRequest: Sendable {
    /// The request line and headers.
    public var head: HTTPRequestHead
    /// The body, exactly `Content-Length` bytes.
    public var body: [UInt8]

    /// Creates a request.
    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    /// The method.
    public var method: HTTPMethod { head.method }
    /// The path, still percent-encoded.
    public var path: String { head.path }
    /// The header fields.
    public var headers: HTTPHeaders { head.headers }

    /// The query parameters, percent-decoded.
    /// - Throws: ``HTTPError`` 400 for malformed percent-encoding or bytes that are not UTF-8.
    public func query() throws -> QueryParameters { try QueryParameters(parsing: head.rawQuery) }

    /// The media type of the body, lower-cased, without parameters (`application/json`), if given.
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return type.strippingOptionalWhitespace.lowercased()
    }

    /// The body as a JSON document.
    /// - Throws: ``HTTPError`` 415 when the body is not declared `application/json`, 400 when it
    ///   is empty or not valid JSON (the message names the line, column and JSON path).
    public func json() throws -> JSON {
        guard mediaType == "application/json" else {
            throw HTTPError(.unsupportedMediaType, "the request body must be JSON (Content-Type: application/json)")
        }
        guard !body.isEmpty else { throw HTTPError(.badRequest, "the request body is empty; expected a JSON document") }
        do {
            return try JSON.parse(body)
        } catch {
            throw HTTPError(.badRequest, "request body: \(error.description)")
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var strippingOptionalWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
