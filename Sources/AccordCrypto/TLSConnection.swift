internal import COpenSSL
internal import Foundation
internal import Synchronization

/// One mutually authenticated TLS 1.3 session over a connected TCP socket, owning an `SSL *`
/// and the socket descriptor (closed by ``close()`` or `deinit`, and on a failed handshake).
///
/// **Threads.** `@unchecked Sendable` because every OpenSSL call on the `SSL *` happens under
/// one `Mutex` (OpenSSL forbids concurrent `SSL_read`/`SSL_write` on one `SSL`), and the lock is
/// never held while waiting: after the handshake the socket is non-blocking, and a read or write
/// that cannot progress releases the lock and `poll`s. So one thread may read while another
/// writes. Two concurrent readers (or writers) are memory-safe but interleave unpredictably:
/// use one reader and one writer. ``close()`` may be called from any thread; it wakes blocked
/// readers and writers, which then throw `connectionClosed`.
///
/// **Time limits.** Reads wait at most the socket's `SO_RCVTIMEO`, writes at most `SO_SNDTIMEO`
/// without progress (set them with ``Socket/setTimeouts(_:read:write:)``; unset = forever), and
/// throw `timedOut` after that. The handshake is bounded by ``TLSConfiguration/handshakeTimeout``.
///
/// **Refusals under TLS 1.3.** The server verifies the client's certificate after the client
/// has already finished its side of the handshake. So when a server refuses a client (bad
/// certificate, not a member), ``connect(socket:context:serverUnit:)`` usually succeeds and the
/// client learns of the refusal only on its first read: as `peerRefused` carrying the server's
/// alert, or as a bare reset (`connectionClosed`) if the alert was lost. No application data is
/// ever delivered in either direction. The sync protocol confirms each session with an
/// application-level hello/ack before trusting it.
///
/// **SIGPIPE.** OpenSSL writes with `write(2)`; the process must ignore `SIGPIPE`
/// (`signal(SIGPIPE, SIG_IGN)`), or a write to a vanished peer kills it.
public final class TLSConnection: @unchecked Sendable {
    /// The verified identity of the peer. Always present except on the server side of a context
    /// whose ``TLSConfiguration/clientCertificates`` is ``TLSClientCertificates/optional``, when
    /// the client presented no certificate.
    public let peer: PeerIdentity?
    /// The negotiated protocol version, always `"TLSv1.3"`.
    public let protocolVersion: String
    /// The negotiated cipher suite, for example `"TLS_AES_256_GCM_SHA384"`.
    public let cipher: String

    private let ssl: OpaquePointer
    private let descriptor: Int32
    private let state = Mutex(State())

    private struct State {
        var closed = false
        var descriptorClosed = false
        /// Reads and writes in progress (they may be polling the descriptor).
        var busy = 0
        var receivedApplicationData = false
    }

    private enum Step {
        case done(Int)
        case wait(Int16)
        case failed(CryptoError)
    }

    private init(ssl: OpaquePointer, descriptor: Int32, peer: PeerIdentity?) {
        self.ssl = ssl
        self.descriptor = descriptor
        self.peer = peer
        self.protocolVersion = String(cString: SSL_get_version(ssl))
        self.cipher = accord_ssl_get_cipher_name(ssl).map { String(cString: $0) } ?? "?"
    }

    deinit {
        close()
        SSL_free(ssl)
    }

    /// Runs the server side of the handshake on an accepted socket.
    ///
    /// The client's chain is verified against the CA bundle (and CRL), its identity read from
    /// the `accord://unit/` SAN URI and given to ``TLSConfiguration/acceptPeer``; a refusal
    /// sends an alert before any application data is read. A client without a certificate is
    /// refused, unless the context's ``TLSConfiguration/clientCertificates`` is `optional`
    /// (the session then has no ``peer``).
    /// - Parameters:
    ///   - fd: a connected TCP socket; the connection owns it from now on (closed on failure).
    ///   - context: a server context.
    /// - Returns: the established session.
    /// - Throws: ``CryptoError`` `peerRefused` naming the reason (including OpenSSL's verify
    ///   error text), `handshakeFailed` (for example a client without TLS 1.3), `timedOut`.
    public static func accept(socket fd: Int32, context: TLSContext) throws -> TLSConnection {
        try handshake(fd, context: context, role: .server, expectedUnit: nil)
    }

    /// Runs the client side of the handshake on a connected socket.
    ///
    /// See the type's documentation: a refusal by the server usually surfaces on the first read.
    /// - Parameters:
    ///   - fd: a connected TCP socket; the connection owns it from now on (closed on failure).
    ///   - context: a client context.
    ///   - serverUnit: when given, the server's certificate must name this unit.
    /// - Returns: the established session.
    /// - Throws: ``CryptoError`` `peerRefused` (server certificate invalid, wrong unit, refused
    ///   by ``TLSConfiguration/acceptPeer``), `handshakeFailed`, `timedOut`.
    public static func connect(socket fd: Int32, context: TLSContext, serverUnit: String?) throws -> TLSConnection {
        try handshake(fd, context: context, role: .client, expectedUnit: serverUnit)
    }

    private static func handshake(
        _ fd: Int32, context: TLSContext, role: TLSContext.Role, expectedUnit: String?
    ) throws -> TLSConnection {
        var ssl: OpaquePointer? = nil
        do {
            guard context.role == role else {
                throw CryptoError(.tlsContextFailed, "a \(context.role) TLS context cannot run the \(role) handshake")
            }
            CryptoError.clearOpenSSLErrors()
            guard let created = SSL_new(context.context) else {
                throw CryptoError.openSSL(.handshakeFailed, "cannot allocate an OpenSSL SSL")
            }
            ssl = created
            guard SSL_set_fd(created, fd) == 1 else {
                throw CryptoError.openSSL(.handshakeFailed, "cannot attach socket \(fd) to the TLS session")
            }
            try Socket.setBlocking(fd, false)
            let configuration = context.configuration
            let handshake = TLSHandshake(role: role, expectedUnit: expectedUnit, acceptPeer: configuration.acceptPeer)
            _ = accord_ssl_set_app_data(created, Unmanaged.passUnretained(handshake).toOpaque())
            defer { _ = accord_ssl_set_app_data(created, nil) }
            try withExtendedLifetime(handshake) {
                try handshake.run(created, descriptor: fd, timeout: configuration.handshakeTimeout)
            }
            let result = SSL_get_verify_result(created)
            // A client without a certificate, where the context allows it: no identity. OpenSSL
            // ran no verification then, and a presented certificate always reaches the callback.
            let anonymous = role == .server && configuration.clientCertificates == .optional
                && SSL_get0_peer_certificate(created) == nil && handshake.identity == nil && handshake.refusal == nil
            guard result == X509_V_OK, anonymous || handshake.identity != nil else {
                // Fail closed: the callback must have accepted a verified leaf.
                let text = String(cString: X509_verify_cert_error_string(result))
                throw CryptoError(.peerRefused, "TLS handshake as \(role): the peer's identity was not verified (\(text))")
            }
            return TLSConnection(ssl: created, descriptor: fd, peer: handshake.identity)
        } catch {
            if let ssl { SSL_free(ssl) }
            _ = shutdown(fd, Int32(SHUT_WR))
            _ = Foundation.close(fd)
            throw error
        }
    }

    /// Sends all of `bytes`.
    ///
    /// - Parameter bytes: the data; an empty array sends nothing.
    /// - Throws: ``CryptoError`` `timedOut` when no progress was possible within `SO_SNDTIMEO`,
    ///   `connectionClosed` after ``close()`` or when the peer reset the connection, `ioFailed`.
    public func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try enter()
        defer { leave() }
        let limit = Socket.timeout(descriptor, SO_SNDTIMEO)
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            var deadline = limit.map { Socket.monotonicNow() + $0 }
            while offset < buffer.count {
                let step = state.withLock { state -> Step in
                    if state.closed { return .failed(CryptoError(.connectionClosed, "write after close")) }
                    CryptoError.clearOpenSSLErrors()
                    let count = Int32(min(buffer.count - offset, 1 << 30))
                    let result = SSL_write(ssl, buffer.baseAddress! + offset, count)
                    if result > 0 { return .done(Int(result)) }
                    return classify(result, operation: "write", state: state)
                }
                switch step {
                case .done(let count):
                    offset += count
                    deadline = limit.map { Socket.monotonicNow() + $0 }
                case .wait(let events):
                    try wait(events, until: deadline, operation: "write", limit: limit)
                case .failed(let error):
                    throw error
                }
            }
        }
    }

    /// Reads the next available bytes.
    ///
    /// - Parameter buffer: where to put them; must not be empty.
    /// - Returns: the number of bytes read, at least 1; 0 when the peer closed cleanly
    ///   (`close_notify`).
    /// - Throws: ``CryptoError`` `timedOut` when nothing arrived within `SO_RCVTIMEO`;
    ///   `connectionClosed` on a reset, an end of stream without `close_notify`, or after
    ///   ``close()``; `peerRefused` when the peer's first message is a refusal alert (see the
    ///   type's documentation); `ioFailed` otherwise.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        precondition(buffer.count > 0, "TLSConnection.read needs a non-empty buffer")
        try enter()
        defer { leave() }
        let limit = Socket.timeout(descriptor, SO_RCVTIMEO)
        let deadline = limit.map { Socket.monotonicNow() + $0 }
        while true {
            let step = state.withLock { state -> Step in
                if state.closed { return .failed(CryptoError(.connectionClosed, "read after close")) }
                CryptoError.clearOpenSSLErrors()
                let result = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, 1 << 30)))
                if result > 0 {
                    state.receivedApplicationData = true
                    return .done(Int(result))
                }
                return classify(result, operation: "read", state: state)
            }
            switch step {
            case .done(let count):
                return count
            case .wait(let events):
                try wait(events, until: deadline, operation: "read", limit: limit)
            case .failed(let error):
                throw error
            }
        }
    }

    /// Reads exactly `count` bytes.
    ///
    /// - Parameter count: how many bytes.
    /// - Returns: the bytes.
    /// - Throws: ``CryptoError`` `connectionClosed` when the stream ends first, or any error of
    ///   ``read(into:)``.
    public func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try bytes.withUnsafeMutableBytes { raw in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            if got == 0 {
                throw CryptoError(
                    .connectionClosed, "the peer closed the connection after \(filled) of \(count) expected bytes")
            }
            filled += got
        }
        return bytes
    }

    /// Sends `close_notify` (best effort, without waiting for the peer's) and closes the socket.
    /// Idempotent; safe from any thread. Reads and writes in progress are woken and throw.
    public func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            CryptoError.clearOpenSSLErrors()
            _ = SSL_shutdown(ssl)
            CryptoError.clearOpenSSLErrors()
            if state.busy == 0 {
                _ = Foundation.close(descriptor)
                state.descriptorClosed = true
            } else {
                // Wake the threads polling the descriptor; the last of them closes it.
                _ = shutdown(descriptor, Int32(SHUT_RDWR))
            }
        }
    }

    // MARK: - Internals

    /// The peer for messages: `unit retail`, or `a client without a certificate`.
    private var peerName: String { peer.map { "unit \($0.unit)" } ?? "a client without a certificate" }

    private func enter() throws {
        try state.withLock { state in
            guard !state.closed else { throw CryptoError(.connectionClosed, "the TLS connection is closed") }
            state.busy += 1
        }
    }

    private func leave() {
        state.withLock { state in
            state.busy -= 1
            if state.closed && state.busy == 0 && !state.descriptorClosed {
                _ = Foundation.close(descriptor)
                state.descriptorClosed = true
            }
        }
    }

    private func wait(_ events: Int16, until deadline: Double?, operation: String, limit: Double?) throws {
        guard Socket.wait(descriptor, events: events, until: deadline) else {
            throw CryptoError(.timedOut, "TLS \(operation) from \(peerName) timed out after \(limit ?? 0) s")
        }
    }

    /// Maps a failed `SSL_read`/`SSL_write` (called under the lock, right after the call).
    private func classify(_ result: Int32, operation: String, state: State) -> Step {
        let code = SSL_get_error(ssl, result)
        let number = errno
        switch code {
        case SSL_ERROR_WANT_READ:
            return .wait(Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE:
            return .wait(Int16(POLLOUT))
        case SSL_ERROR_ZERO_RETURN:
            if operation == "read" { return .done(0) }
            return .failed(CryptoError(.connectionClosed, "TLS write to \(peerName): the peer closed the session"))
        default:
            break
        }
        let first = ERR_peek_error()
        let reason = ERR_GET_REASON(first)
        let reasonText = first == 0 ? nil : ERR_reason_error_string(first).map { String(cString: $0) }
        let errors = CryptoError.drainOpenSSLErrors()
        let what = "TLS \(operation) with \(peerName)"
        if code == SSL_ERROR_SYSCALL {
            if number == 0 || number == ECONNRESET || number == EPIPE {
                let cause = number == 0 ? "end of stream without close_notify" : Socket.errnoText(number)
                return .failed(CryptoError(.connectionClosed, "\(what): \(cause)", openSSLErrors: errors))
            }
            return .failed(CryptoError(.ioFailed, "\(what) failed: \(Socket.errnoText(number))", openSSLErrors: errors))
        }
        if reason == SSL_R_UNEXPECTED_EOF_WHILE_READING {
            return .failed(CryptoError(.connectionClosed, "\(what): end of stream without close_notify", openSSLErrors: errors))
        }
        if reason > SSL_AD_REASON_OFFSET && !state.receivedApplicationData {
            return .failed(
                CryptoError(
                    .peerRefused, "\(what): the peer refused the session (\(reasonText ?? "alert"))",
                    openSSLErrors: errors))
        }
        return .failed(CryptoError(.ioFailed, "\(what) failed: \(reasonText ?? "TLS error \(code)")", openSSLErrors: errors))
    }
}
