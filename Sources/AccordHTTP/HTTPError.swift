/// An error that knows its HTTP status: the server answers it with that status and the body
/// `{"error":{"message":...}}`. Any other error thrown by a responder becomes a generic 500
/// whose body says nothing about the cause.
///
/// The ``status`` is the error's code: equality compares it only, so tests match on it.
/// Messages say what was wrong and where (a header, a query parameter, a JSON path), never a
/// customer's data or a secret.
public struct HTTPError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The status to answer with.
    public let status: HTTPStatus
    /// What was wrong and where; sent to the client.
    public let message: String
    /// Extra response headers (`Allow` for 405, `WWW-Authenticate` for 401).
    public let headers: HTTPHeaders
    /// The underlying error, if any (logged, never sent).
    public let cause: (any Error)?
    /// The source file of the throw site.
    public let file: String
    /// The source line of the throw site.
    public let line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - status: the response status.
    ///   - message: what was wrong and where.
    ///   - headers: extra response headers.
    ///   - cause: the underlying error.
    public init(
        _ status: HTTPStatus, _ message: String, headers: HTTPHeaders = HTTPHeaders(), cause: (any Error)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.status = status
        self.message = message
        self.headers = headers
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// `400 Bad Request: message: cause`.
    public var description: String {
        "\(status): \(message)" + (cause.map { ": \($0)" } ?? "")
    }

    /// Compares the statuses only.
    public static func == (lhs: HTTPError, rhs: HTTPError) -> Bool { lhs.status == rhs.status }

    /// 405 with the `Allow` header listing what the path does allow.
    public static func methodNotAllowed(_ method: String, allowed: [HTTPMethod]) -> HTTPError {
        let list = allowed.sorted().map(\.rawValue).joined(separator: ", ")
        return HTTPError(.methodNotAllowed, "method \(method) is not allowed here (allowed: \(list))", headers: ["Allow": list])
    }
}
