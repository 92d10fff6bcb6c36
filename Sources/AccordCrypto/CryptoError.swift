internal import COpenSSL

/// The error thrown by every AccordCrypto operation (hashing, random bytes, keys, and later TLS).
///
/// It carries a ``Code`` to match on, a `message` saying what went wrong and where (a path, an
/// operation name; never key material), every entry OpenSSL had queued on this thread's error
/// queue when the error was thrown, and the source location of the throw.
/// Two errors are equal when their codes are equal, so callers and tests match on `code`.
public struct CryptoError: Error, CustomStringConvertible, Equatable {
    /// What kind of failure this is. A struct over a private enum, so new codes can be added
    /// without breaking exhaustive switches in callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case randomFailed
            case digestFailed
            case keyGenerationFailed
            case signingFailed
            case invalidKey
            case keyFileUnreadable
            case keyFileUnwritable
            case pemMalformed
            case tlsContextFailed
            case handshakeFailed
            case peerRefused
            case connectionClosed
            case timedOut
            case ioFailed
            case invalidArgument
            case certificateFailed
            case fileUnwritable
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The OpenSSL random generator could not produce bytes.
        public static let randomFailed = Code(.randomFailed)
        /// A message digest operation failed.
        public static let digestFailed = Code(.digestFailed)
        /// Generating a new key pair failed.
        public static let keyGenerationFailed = Code(.keyGenerationFailed)
        /// Producing a signature failed.
        public static let signingFailed = Code(.signingFailed)
        /// Key material has the wrong length, wrong algorithm, or was rejected by OpenSSL.
        public static let invalidKey = Code(.invalidKey)
        /// A key file could not be opened or read.
        public static let keyFileUnreadable = Code(.keyFileUnreadable)
        /// A key file could not be created or written (including: it already exists).
        public static let keyFileUnwritable = Code(.keyFileUnwritable)
        /// PEM text could not be parsed, or does not hold the expected kind of key.
        public static let pemMalformed = Code(.pemMalformed)
        /// A TLS context could not be set up: a certificate, key, CA bundle or CRL file is
        /// missing or malformed, or the key does not match the certificate.
        public static let tlsContextFailed = Code(.tlsContextFailed)
        /// A TLS handshake failed for a reason other than refusing the peer (protocol version,
        /// no shared cipher, an alert from the peer, a reset during the handshake).
        public static let handshakeFailed = Code(.handshakeFailed)
        /// The peer's certificate or identity was refused (no certificate, verification failed,
        /// missing or wrong `accord://unit/` identity, or the membership hook said no), or the peer
        /// refused ours.
        public static let peerRefused = Code(.peerRefused)
        /// The connection ended before the expected bytes arrived (end of stream without
        /// `close_notify`, a reset, or a read or write after ``TLSConnection/close()``).
        public static let connectionClosed = Code(.connectionClosed)
        /// A socket operation or handshake did not complete within its time limit.
        public static let timedOut = Code(.timedOut)
        /// A socket or TLS read or write failed.
        public static let ioFailed = Code(.ioFailed)
        /// An argument is malformed, for example a unit id that does not match
        /// `^[a-z][a-z0-9_-]{0,62}$` or a validity period out of range.
        public static let invalidArgument = Code(.invalidArgument)
        /// Building, signing or encoding a certificate failed.
        public static let certificateFailed = Code(.certificateFailed)
        /// A file or directory other than a private key file could not be created or written.
        public static let fileUnwritable = Code(.fileUnwritable)

        /// The code's name, for example `invalidKey`.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What went wrong and where. Never contains key material.
    public let message: String
    /// Every entry of the OpenSSL error queue of the throwing thread, oldest first, drained at
    /// throw time. Empty when the failure did not come from OpenSSL (for example a bad length).
    public let openSSLErrors: [String]
    /// The file (`#fileID`) of the throw site.
    public let file: String
    /// The line of the throw site.
    public let line: Int

    /// Creates an error. Module-internal: errors are made by AccordCrypto at the point of failure.
    ///
    /// - Parameters:
    ///   - code: what kind of failure.
    ///   - message: what went wrong and where; must not contain secrets.
    ///   - openSSLErrors: OpenSSL error strings, usually from ``drainOpenSSLErrors()``.
    init(
        _ code: Code, _ message: String, openSSLErrors: [String] = [],
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
        self.file = file
        self.line = line
    }

    /// Creates an error for a failed OpenSSL call, draining this thread's OpenSSL error queue.
    static func openSSL(
        _ code: Code, _ message: String, file: String = #fileID, line: Int = #line
    ) -> CryptoError {
        CryptoError(code, message, openSSLErrors: drainOpenSSLErrors(), file: file, line: line)
    }

    /// Removes and returns every entry of the calling thread's OpenSSL error queue, oldest first.
    static func drainOpenSSLErrors() -> [String] {
        var errors: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            let text = buffer.withUnsafeMutableBufferPointer { pointer -> String in
                ERR_error_string_n(code, pointer.baseAddress, pointer.count)
                return String(cString: pointer.baseAddress!)
            }
            errors.append(text)
        }
        return errors
    }

    /// Discards stale entries of the calling thread's OpenSSL error queue, so that the errors
    /// drained at the next throw belong to the operation that failed.
    static func clearOpenSSLErrors() {
        ERR_clear_error()
    }

    /// `code: message [OpenSSL: e1; e2] (file:line)`.
    public var description: String {
        var text = "\(code): \(message)"
        if !openSSLErrors.isEmpty {
            text += " [OpenSSL: \(openSSLErrors.joined(separator: "; "))]"
        }
        return text + " (\(file):\(line))"
    }

    /// Compares the codes only.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }
}
