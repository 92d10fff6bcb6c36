internal import COpenSSL
internal import Foundation

/// The SHA-256 algorithm, fetched from OpenSSL's default provider once per process.
///
/// `nonisolated(unsafe)` is safe here: the global is initialized exactly once (Swift runs global
/// initializers under `swift_once`), never reassigned, and an `EVP_MD` is an immutable,
/// reference-counted method table that OpenSSL allows any number of threads to use at once.
nonisolated(unsafe) let sha256Algorithm: OpaquePointer = {
    guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else {
        fatalError("OpenSSL cannot fetch SHA256: \(CryptoError.drainOpenSSLErrors())")
    }
    return algorithm
}()

/// A per-thread key holding one reusable `EVP_MD_CTX` for one-shot hashing, freed when the
/// thread exits. Reusing the context (and its provider state) avoids an allocation per hash.
private let sha256ThreadContextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { context in
        EVP_MD_CTX_free(OpaquePointer(context))
    }
    precondition(status == 0, "pthread_key_create failed with \(status)")
    return key
}()

/// SHA-256 hashing in one call. For data that arrives in pieces, use ``SHA256Hasher``.
public enum SHA256 {
    /// Hashes a byte array.
    ///
    /// - Parameter data: the bytes to hash.
    /// - Returns: their SHA-256 digest.
    public static func hash(_ data: [UInt8]) -> SHA256Digest {
        data.withUnsafeBytes { hash($0) }
    }

    /// Hashes the bytes of a buffer.
    ///
    /// Uses a per-thread `EVP_MD_CTX` and the once-fetched algorithm, so a call allocates only
    /// the returned digest. Never fails in practice; an OpenSSL failure here means a broken
    /// installation and stops the process.
    /// - Parameter buffer: the bytes to hash (may be empty).
    /// - Returns: their SHA-256 digest.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> SHA256Digest {
        let context = threadContext()
        let bytes = [UInt8](unsafeUninitializedCapacity: SHA256Digest.byteCount) { output, count in
            var length: UInt32 = 0
            guard EVP_DigestInit_ex2(context, sha256Algorithm, nil) == 1,
                EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1,
                EVP_DigestFinal_ex(context, output.baseAddress, &length) == 1,
                length == SHA256Digest.byteCount
            else {
                fatalError("OpenSSL SHA-256 failed: \(CryptoError.drainOpenSSLErrors())")
            }
            count = Int(length)
        }
        return SHA256Digest(bytes: bytes)
    }

    /// The calling thread's reusable digest context, created on first use.
    private static func threadContext() -> OpaquePointer {
        if let existing = pthread_getspecific(sha256ThreadContextKey) {
            return OpaquePointer(existing)
        }
        guard let context = EVP_MD_CTX_new() else {
            fatalError("OpenSSL cannot allocate an EVP_MD_CTX")
        }
        let status = pthread_setspecific(sha256ThreadContextKey, UnsafeRawPointer(context))
        precondition(status == 0, "pthread_setspecific failed with \(status)")
        return context
    }
}
