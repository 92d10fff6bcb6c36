internal import COpenSSL

/// Incremental SHA-256: feed data in pieces with ``update(_:)-(([UInt8]))``, then ``finalize()``.
///
/// Owns an OpenSSL `EVP_MD_CTX`, freed in `deinit`. Not `Sendable`: use one hasher per task.
public final class SHA256Hasher {
    private let context: OpaquePointer

    /// Creates a hasher with no data fed yet.
    public init() {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("OpenSSL cannot allocate an EVP_MD_CTX")
        }
        self.context = context
        reset()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Feeds bytes into the hash.
    ///
    /// - Parameter data: the next bytes of the message.
    public func update(_ data: [UInt8]) {
        data.withUnsafeBytes { update($0) }
    }

    /// Feeds the bytes of a buffer into the hash.
    ///
    /// - Parameter buffer: the next bytes of the message (may be empty).
    public func update(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        guard EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1 else {
            fatalError("OpenSSL SHA-256 update failed: \(CryptoError.drainOpenSSLErrors())")
        }
    }

    /// Returns the digest of everything fed since creation or the last `finalize()`, then resets
    /// the hasher so it can be reused for a new message.
    ///
    /// - Returns: the SHA-256 digest.
    public func finalize() -> SHA256Digest {
        let bytes = [UInt8](unsafeUninitializedCapacity: SHA256Digest.byteCount) { output, count in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(context, output.baseAddress, &length) == 1,
                length == SHA256Digest.byteCount
            else {
                fatalError("OpenSSL SHA-256 final failed: \(CryptoError.drainOpenSSLErrors())")
            }
            count = Int(length)
        }
        reset()
        return SHA256Digest(bytes: bytes)
    }

    private func reset() {
        guard EVP_DigestInit_ex2(context, sha256Algorithm, nil) == 1 else {
            fatalError("OpenSSL SHA-256 init failed: \(CryptoError.drainOpenSSLErrors())")
        }
    }
}
