/// What ``TLSConfiguration/acceptPeer`` decides about a peer whose certificate verified.
///
/// A decision is a value, not a thrown error: the refusal reason ends up in the
/// ``CryptoError`` of the refused handshake and in the logs.
public enum TLSPeerDecision: Sendable, Equatable {
    /// Let the handshake complete.
    case accept
    /// Abort the handshake with an alert before any application data; the string says why
    /// (for example "unit marketing is not a member").
    case refuse(String)
}
