/// An HTTP status code with its reason phrase.
public struct HTTPStatus: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code.
    public let code: Int
    /// The reason phrase sent on the status line.
    public let reason: String

    /// Creates a status.
    /// - Parameters:
    ///   - code: the three-digit code (100...599).
    ///   - reason: the reason phrase.
    public init(_ code: Int, _ reason: String) {
        precondition((100...599).contains(code), "an HTTP status code has three digits")
        self.code = code
        self.reason = reason
    }

    /// `404 Not Found`.
    public var description: String { "\(code) \(reason)" }

    /// Whether the response may not carry a body (1xx, 204, 304).
    var forbidsBody: Bool { code < 200 || code == 204 || code == 304 }

    /// 100 Continue.
    public static let continue_ = HTTPStatus(100, "Continue")
    /// 200 OK.
    public static let ok = HTTPStatus(200, "OK")
    /// 201 Created.
    public static let created = HTTPStatus(201, "Created")
    /// 204 No Content.
    public static let noContent = HTTPStatus(204, "No Content")
    /// 400 Bad Request.
    public static let badRequest = HTTPStatus(400, "Bad Request")
    /// 401 Unauthorized.
    public static let unauthorized = HTTPStatus(401, "Unauthorized")
    /// 403 Forbidden.
    public static let forbidden = HTTPStatus(403, "Forbidden")
    /// 404 Not Found.
    public static let notFound = HTTPStatus(404, "Not Found")
    /// 405 Method Not Allowed.
    public static let methodNotAllowed = HTTPStatus(405, "Method Not Allowed")
    /// 408 Request Timeout.
    public static let requestTimeout = HTTPStatus(408, "Request Timeout")
    /// 409 Conflict.
    public static let conflict = HTTPStatus(409, "Conflict")
    /// 413 Content Too Large.
    public static let contentTooLarge = HTTPStatus(413, "Content Too Large")
    /// 414 URI Too Long.
    public static let uriTooLong = HTTPStatus(414, "URI Too Long")
    /// 415 Unsupported Media Type.
    public static let unsupportedMediaType = HTTPStatus(415, "Unsupported Media Type")
    /// 417 Expectation Failed.
    public static let expectationFailed = HTTPStatus(417, "Expectation Failed")
    /// 422 Unprocessable Content.
    public static let unprocessableContent = HTTPStatus(422, "Unprocessable Content")
    /// 431 Request Header Fields Too Large.
    public static let headerFieldsTooLarge = HTTPStatus(431, "Request Header Fields Too Large")
    /// 500 Internal Server Error.
    public static let internalServerError = HTTPStatus(500, "Internal Server Error")
    /// 501 Not Implemented.
    public static let notImplemented = HTTPStatus(501, "Not Implemented")
    /// 503 Service Unavailable.
    public static let serviceUnavailable = HTTPStatus(503, "Service Unavailable")
    /// 505 HTTP Version Not Supported.
    public static let versionNotSupported = HTTPStatus(505, "HTTP Version Not Supported")
}
