/// Whether a server asks its clients for a certificate, and what it does without one.
///
/// Sync uses ``required``: both sides are units of the federation. The HTTPS API uses
/// ``optional``: a unit's systems present a certificate, people come with a bearer token and none.
/// A presented certificate is verified the same way in both modes (chain against the CA bundle,
/// CRL, the `accord://unit/` SAN, ``TLSConfiguration/acceptPeer``); a bad one aborts the handshake.
public enum TLSClientCertificates: Sendable, Equatable {
    /// Clients must present a certificate (`SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT`).
    case required
    /// Clients may present a certificate, which is then verified (`SSL_VERIFY_PEER` alone); a
    /// session without one has no ``TLSConnection/peer``.
    case optional
}
