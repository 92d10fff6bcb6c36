/// What answers the requests of an ``HTTPServer``. Called on the connection's thread, possibly
/// on many connections at once.
public protocol HTTPResponder: Sendable {
    /// The most body bytes a request may carry, decided once its head is read (for example more
    /// for an import route, and only for a client allowed to import). The default keeps `limit`,
    /// ``HTTPLimits/maxBodyBytes``.
    func bodyLimit(for head: HTTPRequestHead, client: HTTPClient, default limit: Int) -> Int

    /// Answers a request. A thrown ``HTTPError`` is answered with its status and message; any
    /// other error with a generic 500 (and reported as ``HTTPServerEvent/failed(_:)``).
    func respond(to request: HTTPRequest, client: HTTPClient) throws -> HTTPResponse
}

extension HTTPResponder {
    /// Keeps the server's limit.
    public func bodyLimit(for head: HTTPRequestHead, client: HTTPClient, default limit: Int) -> Int { limit }
}
