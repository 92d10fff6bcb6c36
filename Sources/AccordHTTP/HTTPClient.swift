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
