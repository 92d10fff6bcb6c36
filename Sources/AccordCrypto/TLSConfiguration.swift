/// Files and policy for one side of an Accord TLS 1.3 session with mutual authentication.
///
/// Both sides present a certificate chain and verify the peer's chain against
/// ``trustedCAPath``; the peer's unit comes from its certificate's single
/// `accord://unit/<unit-id>` SAN URI and is then given to ``acceptPeer``, during the handshake.
public struct TLSConfiguration: Sendable {
    /// PEM file with this unit's certificate first, then any intermediate CA certificates.
    public var certificateChainPath: String
    /// PEM file with the private key of the leaf certificate (ECDSA P-256 or Ed25519), unencrypted.
    public var privateKeyPath: String
    /// PEM bundle of the trusted federation CA certificates (several during a CA rotation).
    public var trustedCAPath: String
    /// Optional PEM file with one or more CRLs. When set, every certificate of the peer's chain
    /// is checked against a CRL of its issuer (`X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL`),
    /// so the file must hold a current CRL for every issuing CA, or peers are refused with
    /// "unable to get certificate CRL".
    public var crlPath: String?
    /// Membership check, called during the handshake (on the handshaking thread) once the peer's
    /// chain has verified and its identity was read. `.refuse` aborts the handshake with an alert,
    /// before any application data is exchanged.
    public var acceptPeer: @Sendable (PeerIdentity) -> TLSPeerDecision
    /// The longest a whole handshake may take, in seconds (default 10).
    public var handshakeTimeout: Double
    /// For server contexts: whether clients must present a certificate (default ``TLSClientCertificates/required``).
    public var clientCertificates: TLSClientCertificates = .required

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - certificateChainPath: PEM chain, leaf first.
    ///   - privateKeyPath: PEM private key of the leaf.
    ///   - trustedCAPath: PEM bundle of trusted CA certificates.
    ///   - crlPath: optional PEM CRL file.
    ///   - handshakeTimeout: seconds allowed for a handshake (default 10).
    ///   - acceptPeer: membership hook; accepts every verified peer by default.
    public init(
        certificateChainPath: String,
        privateKeyPath: String,
        trustedCAPath: String,
        crlPath: String? = nil,
        handshakeTimeout: Double = 10,
        acceptPeer: @escaping @Sendable (PeerIdentity) -> TLSPeerDecision = { _ in .accept }
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustedCAPath = trustedCAPath
        self.crlPath = crlPath
        self.handshakeTimeout = handshakeTimeout
        self.acceptPeer = acceptPeer
    }
}
