/// What an ``HTTPServer`` reports for logs and metrics. Messages carry no secrets or request bodies.
public enum HTTPServerEvent: Sendable {
    /// Listening on a port.
    case listening(port: UInt16)
    /// A connection was closed at once: `open` connections were open already (limit `maxConnections`).
    case refusedConnection(open: Int, limit: Int)
    /// A TLS handshake failed (bad or refused certificate, timeout, not TLS 1.3).
    case handshakeFailed(String)
    /// A request was answered.
    case answered(method: String, path: String, status: Int, seconds: Double)
    /// A request was refused before it reached the responder (malformed, over a limit, too slow).
    case refusedRequest(status: Int, message: String)
    /// The responder failed with an error that has no status; the client got a generic 500.
    case failed(String)
}
