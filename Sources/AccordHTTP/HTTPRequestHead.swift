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
