internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's default generator (`RAND_bytes`).
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// - Parameter count: how many bytes; 0 returns an empty array. Must not be negative.
    /// - Throws: ``CryptoError`` with code `randomFailed` when OpenSSL cannot produce them.
    public static func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes(count:) needs a non-negative count")
        var result = [UInt8](repeating: 0, count: count)
        try result.withUnsafeMutableBytes { try fill($0) }
        return result
    }

    /// Overwrites every byte of `buffer` with random bytes.
    ///
    /// - Parameter buffer: the memory to fill; an empty buffer is left alone.
    /// - Throws: ``CryptoError`` with code `randomFailed` when OpenSSL cannot produce them.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        CryptoError.clearOpenSSLErrors()
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, Int(Int32.max))
            let pointer = (base + offset).assumingMemoryBound(to: UInt8.self)
            guard RAND_bytes(pointer, Int32(chunk)) == 1 else {
                throw CryptoError.openSSL(.randomFailed, "RAND_bytes failed to produce \(buffer.count) bytes")
            }
            offset += chunk
        }
    }
}
