internal import COpenSSL

/// Helpers for OpenSSL memory BIOs, used to produce and parse PEM text without touching files.
enum MemoryBIO {
    /// Runs `write` against a fresh writable memory BIO and returns what it wrote.
    ///
    /// - Parameters:
    ///   - secure: use `BIO_s_secmem`, whose buffer OpenSSL wipes on free (for private keys).
    ///   - what: names the operation in error messages.
    ///   - write: performs the write; returns OpenSSL's status (1 on success).
    /// - Throws: ``CryptoError`` with code `invalidKey` when the write fails.
    static func written(
        secure: Bool, what: String, _ write: (OpaquePointer) -> Int32
    ) throws -> [UInt8] {
        CryptoError.clearOpenSSLErrors()
        guard let bio = BIO_new(secure ? BIO_s_secmem() : BIO_s_mem()) else {
            throw CryptoError.openSSL(.invalidKey, "cannot allocate a memory BIO to write \(what)")
        }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else {
            throw CryptoError.openSSL(.invalidKey, "OpenSSL failed to write \(what)")
        }
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = accord_bio_get_mem_data(bio, &data)
        guard length > 0, let data else {
            throw CryptoError.openSSL(.invalidKey, "OpenSSL wrote no bytes for \(what)")
        }
        return UnsafeRawBufferPointer(start: data, count: length).map { $0 }
    }

    /// Runs `read` against a read-only memory BIO over `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: the input, which stays owned by the caller.
    ///   - read: parses from the BIO; returns `nil` on failure.
    /// - Returns: what `read` returned, or `nil` when the BIO could not be made.
    static func reading<Result>(
        _ bytes: [UInt8], _ read: (OpaquePointer) -> Result?
    ) -> Result? {
        CryptoError.clearOpenSSLErrors()
        guard bytes.count <= Int(Int32.max) else { return nil }
        return bytes.withUnsafeBytes { buffer -> Result? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }
}
