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
