/// A response: status, header fields and body. The server adds `Content-Length`, `Date` and
/// `Connection`; HEAD requests get the headers without the body.
public struct HTTPResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// Header fields (`Content-Type` and any others; not `Content-Length`, which the server writes).
    public var headers: HTTPHeaders
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    public static func json(_ value: JSON, status: HTTPStatus = .ok) -> HTTPResponse {
        json(serialized: value.serialized(), status: status)
    }

    /// A response whose body is JSON serialized already (for example a document the node made).
    public static func json(serialized bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: bytes)
    }

    /// The response for an error: an ``HTTPError`` with its status, headers and
    /// `{"error":{"message":...}}`; any other error as a generic 500 that says nothing of its cause.
    public static func error(_ error: any Error) -> HTTPResponse {
        guard let error = error as? HTTPError else {
            return json(["error": ["message": "internal error"]], status: .internalServerError)
        }
        var response = json(["error": ["message": .string(error.message)]], status: error.status)
        for field in error.headers { response.headers.add(field.name, field.value) }
        return response
    }

    /// The response as bytes on the wire.
    /// - Parameters:
    ///   - keepAlive: whether the connection stays open (else `Connection: close`).
    ///   - minorVersion: the request's HTTP minor version (1.0 clients are told `keep-alive`).
    ///   - includeBody: `false` for HEAD.
    ///   - date: the `Date` value (IMF-fixdate).
    func serialized(keepAlive: Bool, minorVersion: Int, includeBody: Bool, date: String) -> [UInt8] {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for field in headers where !HTTPHeaders.same(field.name, "Content-Length") && !HTTPHeaders.same(field.name, "Connection") {
            head += "\(field.name): \(field.value)\r\n"
        }
        if !status.forbidsBody { head += "Content-Length: \(body.count)\r\n" }
        head += "Date: \(date)\r\n"
        if !keepAlive {
            head += "Connection: close\r\n"
        } else if minorVersion == 0 {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if includeBody && !status.forbidsBody { bytes.append(contentsOf: body) }
        return bytes
    }
}
