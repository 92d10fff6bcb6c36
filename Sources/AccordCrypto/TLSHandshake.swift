internal import COpenSSL
internal import Foundation

/// The state of one handshake, reachable from OpenSSL's verify callback through the `SSL`'s
/// app data, and the loop that drives `SSL_accept` / `SSL_connect` to a deadline.
///
/// Used on one thread only: the callback runs synchronously inside `SSL_accept`/`SSL_connect`.
final class TLSHandshake {
    let role: TLSContext.Role
    let expectedUnit: String?
    let acceptPeer: @Sendable (PeerIdentity) -> TLSPeerDecision
    /// The peer's identity, set once its leaf verified and ``acceptPeer`` accepted it.
    private(set) var identity: PeerIdentity?
    /// Why we refused the peer's identity (SAN, expected unit, membership).
    private(set) var refusal: String?
    /// The first chain verification error OpenSSL reported.
    private(set) var verifyFailure: String?

    init(role: TLSContext.Role, expectedUnit: String?, acceptPeer: @escaping @Sendable (PeerIdentity) -> TLSPeerDecision) {
        self.role = role
        self.expectedUnit = expectedUnit
        self.acceptPeer = acceptPeer
    }

    private var peerWord: String { role == .server ? "client" : "server" }

    /// OpenSSL's verify callback: records chain errors, and at the leaf (once the chain verified)
    /// reads the identity and asks the membership hook. Fails closed without handshake state.
    static let verifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverified, store in
        guard let store, let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
            let raw = accord_ssl_get_app_data(OpaquePointer(ssl))
        else { return 0 }
        return Unmanaged<TLSHandshake>.fromOpaque(raw).takeUnretainedValue().verify(preverified, store)
    }

    private func verify(_ preverified: Int32, _ store: OpaquePointer) -> Int32 {
        if refusal != nil { return 0 }
        let depth = X509_STORE_CTX_get_error_depth(store)
        let certificate = X509_STORE_CTX_get_current_cert(store)
        if preverified != 1 {
            if verifyFailure == nil {
                let error = X509_STORE_CTX_get_error(store)
                let text = String(cString: X509_verify_cert_error_string(Int(error)))
                let subject = certificate.map { PeerIdentity.subjectLine($0) } ?? "?"
                verifyFailure = "\(peerWord) certificate verification failed at depth \(depth) (\(subject)): \(text)"
            }
            return 0
        }
        guard depth == 0 else { return 1 }
        if identity != nil { return 1 }
        guard let certificate else { return refuse("no \(peerWord) leaf certificate to read", store) }
        let peer: PeerIdentity
        do {
            peer = try PeerIdentity.read(certificate: certificate)
        } catch let problem as PeerIdentity.Problem {
            return refuse(problem.reason, store)
        } catch {
            return refuse("cannot read the \(peerWord) identity", store)
        }
        if let expectedUnit, peer.unit != expectedUnit {
            return refuse("server identifies as unit \(peer.unit), expected \(expectedUnit)", store)
        }
        switch acceptPeer(peer) {
        case .accept:
            identity = peer
            return 1
        case .refuse(let reason):
            return refuse(reason, store)
        }
    }

    private func refuse(_ reason: String, _ store: OpaquePointer) -> Int32 {
        refusal = reason
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION)
        return 0
    }

    /// Drives the handshake on a non-blocking socket until it completes or `deadline` passes.
    ///
    /// - Throws: ``CryptoError`` `peerRefused`, `handshakeFailed` or `timedOut`.
    func run(_ ssl: OpaquePointer, descriptor: Int32, timeout: Double) throws {
        let deadline = Socket.monotonicNow() + timeout
        while true {
            CryptoError.clearOpenSSLErrors()
            let result = role == .server ? SSL_accept(ssl) : SSL_connect(ssl)
            if result == 1 { return }
            let code = SSL_get_error(ssl, result)
            let number = errno
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                let events = Int16(code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)
                guard Socket.wait(descriptor, events: events, until: deadline) else {
                    throw CryptoError(
                        .timedOut, "TLS handshake as \(role) did not complete within \(timeout) s")
                }
            default:
                throw failure(ssl, code: code, errno: number)
            }
        }
    }

    /// Turns a failed handshake step into an error naming the cause.
    private func failure(_ ssl: OpaquePointer, code: Int32, errno number: Int32) -> CryptoError {
        let first = ERR_peek_error()
        let reason = ERR_GET_REASON(first)
        let reasonText = first == 0 ? nil : ERR_reason_error_string(first).map { String(cString: $0) }
        let errors = CryptoError.drainOpenSSLErrors()
        let side = "TLS handshake as \(role)"
        if let refusal {
            return CryptoError(.peerRefused, "\(side) refused the \(peerWord): \(refusal)", openSSLErrors: errors)
        }
        if let verifyFailure {
            return CryptoError(.peerRefused, "\(side) refused the \(peerWord): \(verifyFailure)", openSSLErrors: errors)
        }
        if reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE {
            return CryptoError(
                .peerRefused, "\(side) refused the \(peerWord): it presented no certificate", openSSLErrors: errors)
        }
        if reason == SSL_R_CERTIFICATE_VERIFY_FAILED {
            let result = SSL_get_verify_result(ssl)
            let text = String(cString: X509_verify_cert_error_string(result))
            return CryptoError(
                .peerRefused, "\(side) refused the \(peerWord): certificate verification failed: \(text)",
                openSSLErrors: errors)
        }
        if Self.certificateAlerts.contains(reason - SSL_AD_REASON_OFFSET) {
            return CryptoError(
                .peerRefused, "\(side): the \(peerWord) refused our certificate (\(reasonText ?? "alert"))",
                openSSLErrors: errors)
        }
        if code == SSL_ERROR_SYSCALL || code == SSL_ERROR_ZERO_RETURN {
            let cause = number == 0 ? "the \(peerWord) closed the connection" : String(cString: strerror(number))
            return CryptoError(.handshakeFailed, "\(side) failed: \(cause)", openSSLErrors: errors)
        }
        return CryptoError(
            .handshakeFailed, "\(side) failed: \(reasonText ?? "TLS error \(code)")", openSSLErrors: errors)
    }

    /// TLS alerts that mean "your certificate was refused".
    private static let certificateAlerts: Set<Int32> = [
        Int32(SSL_AD_BAD_CERTIFICATE), Int32(SSL_AD_UNSUPPORTED_CERTIFICATE), Int32(SSL_AD_CERTIFICATE_REVOKED),
        Int32(SSL_AD_CERTIFICATE_EXPIRED), Int32(SSL_AD_CERTIFICATE_UNKNOWN), Int32(SSL_AD_UNKNOWN_CA),
        Int32(SSL_AD_ACCESS_DENIED), Int32(SSL_AD_CERTIFICATE_REQUIRED),
    ]
}
