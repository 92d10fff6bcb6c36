public import AccordCrypto

/// Who sent a request, as far as the connection tells.
public struct HTTPClient: Sendable {
    /// The verified identity of the client's certificate, or `nil` when it presented none.
    public let certificate: PeerIdentity?
    /// A number for the connection, unique within one server's run (for logs).
    public let connection: UInt64

    /// Creates a client description (the server makes them; tests may too).
    public init(certificate: PeerIdentity?, connection: UInt64) {
        self.certificate = certificate
        self.connection = connection
    }
}

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
