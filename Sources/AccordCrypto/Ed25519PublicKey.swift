internal import COpenSSL

/// An Ed25519 public key (RFC 8032), held as its 32-byte encoding.
///
/// Equal and hashable by those bytes. Verification never throws: any failure means "not valid".
public struct Ed25519PublicKey: Hashable, Sendable {
    /// The length of an encoded Ed25519 public key.
    public static let byteCount = 32
    /// The length of an Ed25519 signature.
    public static let signatureByteCount = 64

    /// The 32-byte public key encoding.
    public let rawRepresentation: [UInt8]

    /// Wraps a 32-byte public key encoding.
    ///
    /// - Parameter rawRepresentation: exactly 32 bytes.
    /// - Throws: ``CryptoError`` with code `invalidKey` when the length is not 32.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == Self.byteCount else {
            throw CryptoError(
                .invalidKey,
                "an Ed25519 public key has \(Self.byteCount) bytes, got \(rawRepresentation.count)")
        }
        self.rawRepresentation = rawRepresentation
    }

    /// Parses a SubjectPublicKeyInfo PEM block (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// - Parameter pem: the PEM text.
    /// - Throws: ``CryptoError`` with code `pemMalformed` when the text is not a PEM public key,
    ///   or holds a key of another algorithm.
    public init(pem: String) throws {
        let key = MemoryBIO.reading(Array(pem.utf8)) { bio in
            // The callback never supplies a passphrase, so OpenSSL cannot prompt on the terminal.
            PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let key else {
            throw CryptoError.openSSL(.pemMalformed, "text is not a PEM public key (SubjectPublicKeyInfo)")
        }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_is_a(key, "ED25519") == 1 else {
            throw CryptoError.openSSL(.pemMalformed, "PEM public key is not an Ed25519 key")
        }
        var raw = [UInt8](repeating: 0, count: Self.byteCount)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == Self.byteCount else {
            throw CryptoError.openSSL(.invalidKey, "cannot extract the Ed25519 public key from PEM")
        }
        self.rawRepresentation = raw
    }

    /// Encodes the key as a SubjectPublicKeyInfo PEM block (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// - Returns: the PEM text, ending with a newline.
    /// - Throws: ``CryptoError`` with code `invalidKey` when OpenSSL rejects the key.
    public func pemRepresentation() throws -> String {
        let key = try makeEVPKey()
        defer { EVP_PKEY_free(key) }
        let bytes = try MemoryBIO.written(secure: false, what: "an Ed25519 public key as PEM") { bio in
            PEM_write_bio_PUBKEY(bio, key)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Checks an Ed25519 signature of `message` against this key.
    ///
    /// - Parameters:
    ///   - signature: the signature; anything other than 64 bytes is invalid.
    ///   - message: the signed message.
    /// - Returns: `true` only if the signature is valid; `false` on any failure.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == Self.signatureByteCount else { return false }
        CryptoError.clearOpenSSLErrors()
        defer { CryptoError.clearOpenSSLErrors() }
        guard let key = try? makeEVPKey() else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        let status = message.withUnsafeBufferPointer { messageBuffer in
            EVP_DigestVerify(context, signature, signature.count, messageBuffer.baseAddress, messageBuffer.count)
        }
        return status == 1
    }

    /// Makes an OpenSSL `EVP_PKEY` for this key; the caller frees it with `EVP_PKEY_free`.
    func makeEVPKey() throws -> OpaquePointer {
        guard let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, rawRepresentation, rawRepresentation.count)
        else {
            throw CryptoError.openSSL(.invalidKey, "OpenSSL rejected the Ed25519 public key")
        }
        return key
    }
}
