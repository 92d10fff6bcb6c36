internal import COpenSSL

/// An Ed25519 private key (RFC 8032) held by OpenSSL as an `EVP_PKEY`, freed in `deinit`.
///
/// `@unchecked Sendable` is safe: the `EVP_PKEY` is never mutated after `init` (no setter
/// exists), and OpenSSL 3 allows concurrent read-only use of one `EVP_PKEY` from many threads;
/// each ``signature(for:)`` call uses its own `EVP_MD_CTX`, so no signing state is shared.
public final class Ed25519PrivateKey: @unchecked Sendable {
    /// The length of an Ed25519 private key seed.
    public static let byteCount = 32

    /// The OpenSSL key. Immutable after `init`.
    private let key: OpaquePointer
    private let cachedPublicKey: Ed25519PublicKey

    /// Takes ownership of `key` (freed on failure too), checking it is an Ed25519 private key.
    private init(taking key: OpaquePointer, code: CryptoError.Code) throws {
        guard EVP_PKEY_is_a(key, "ED25519") == 1 else {
            EVP_PKEY_free(key)
            throw CryptoError.openSSL(code, "the key is not an Ed25519 key")
        }
        var raw = [UInt8](repeating: 0, count: Ed25519PublicKey.byteCount)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == raw.count,
            let publicKey = try? Ed25519PublicKey(rawRepresentation: raw)
        else {
            EVP_PKEY_free(key)
            throw CryptoError.openSSL(.invalidKey, "cannot derive the Ed25519 public key")
        }
        self.key = key
        self.cachedPublicKey = publicKey
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Generates a new random key pair.
    ///
    /// - Returns: the new private key.
    /// - Throws: ``CryptoError`` with code `keyGenerationFailed` when OpenSSL fails.
    public static func generate() throws -> Ed25519PrivateKey {
        CryptoError.clearOpenSSLErrors()
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw CryptoError.openSSL(.keyGenerationFailed, "cannot create an Ed25519 key generation context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw CryptoError.openSSL(.keyGenerationFailed, "OpenSSL failed to generate an Ed25519 key")
        }
        return try Ed25519PrivateKey(taking: key, code: .keyGenerationFailed)
    }

    /// Makes a key from its 32-byte seed (the RFC 8032 "secret key").
    ///
    /// - Parameter rawRepresentation: exactly 32 bytes.
    /// - Throws: ``CryptoError`` with code `invalidKey` when the length is wrong or OpenSSL
    ///   rejects the seed.
    public convenience init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == Self.byteCount else {
            throw CryptoError(
                .invalidKey,
                "an Ed25519 private key seed has \(Self.byteCount) bytes, got \(rawRepresentation.count)")
        }
        CryptoError.clearOpenSSLErrors()
        guard
            let key = EVP_PKEY_new_raw_private_key(
                EVP_PKEY_ED25519, nil, rawRepresentation, rawRepresentation.count)
        else {
            throw CryptoError.openSSL(.invalidKey, "OpenSSL rejected the Ed25519 private key seed")
        }
        try self.init(taking: key, code: .invalidKey)
    }

    /// Parses an unencrypted PKCS#8 PEM block (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// - Parameter pem: the PEM text.
    /// - Throws: ``CryptoError`` with code `pemMalformed` when the text is not an unencrypted PEM
    ///   private key or holds a key of another algorithm.
    public convenience init(pem: String) throws {
        var bytes = Array(pem.utf8)
        defer { wipe(&bytes) }
        try self.init(pemBytes: bytes)
    }

    /// Parses PEM bytes; see ``init(pem:)``. The caller owns and wipes `pemBytes`.
    convenience init(pemBytes: [UInt8]) throws {
        let key = MemoryBIO.reading(pemBytes) { bio in
            // The callback never supplies a passphrase: encrypted keys fail instead of OpenSSL
            // prompting on the terminal.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let key else {
            throw CryptoError.openSSL(.pemMalformed, "text is not an unencrypted PEM private key (PKCS#8)")
        }
        try self.init(taking: key, code: .pemMalformed)
    }

    /// The matching public key.
    public var publicKey: Ed25519PublicKey { cachedPublicKey }

    /// Signs `message` (pure Ed25519, no pre-hash).
    ///
    /// - Parameter message: the bytes to sign.
    /// - Returns: the 64-byte signature.
    /// - Throws: ``CryptoError`` with code `signingFailed` when OpenSSL fails.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        CryptoError.clearOpenSSLErrors()
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL(.signingFailed, "cannot allocate an EVP_MD_CTX for signing")
        }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally: the digest argument must be NULL.
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else {
            throw CryptoError.openSSL(.signingFailed, "OpenSSL failed to start an Ed25519 signature")
        }
        var signature = [UInt8](repeating: 0, count: Ed25519PublicKey.signatureByteCount)
        var length = signature.count
        let status = message.withUnsafeBufferPointer { messageBuffer in
            EVP_DigestSign(context, &signature, &length, messageBuffer.baseAddress, messageBuffer.count)
        }
        guard status == 1, length == Ed25519PublicKey.signatureByteCount else {
            throw CryptoError.openSSL(.signingFailed, "OpenSSL failed to make an Ed25519 signature")
        }
        return signature
    }

    /// Encodes the key as an unencrypted PKCS#8 PEM block (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// The result is secret: store it only where ``write(toFile:)`` would.
    /// - Returns: the PEM text, ending with a newline.
    /// - Throws: ``CryptoError`` with code `invalidKey` when OpenSSL cannot encode the key.
    public func pemRepresentation() throws -> String {
        var bytes = try pemBytes()
        defer { wipe(&bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The PKCS#8 PEM encoding as bytes; the caller wipes them with ``wipe(_:)``.
    func pemBytes() throws -> [UInt8] {
        try MemoryBIO.written(secure: true, what: "an Ed25519 private key as PEM") { bio in
            PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil)
        }
    }
}

/// Overwrites secret bytes with zeros in a way the optimizer cannot remove (`OPENSSL_cleanse`).
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
    }
}
