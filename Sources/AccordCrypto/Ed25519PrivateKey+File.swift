internal import Foundation

extension Ed25519PrivateKey {
    /// The largest key file ``read(fromFile:)`` accepts; an Ed25519 PEM file is about 120 bytes.
    static let maximumKeyFileSize = 64 * 1024

    /// Saves the key as unencrypted PKCS#8 PEM in a new file readable only by its owner (0600).
    ///
    /// The file appears atomically and complete: the PEM goes to a temporary file in the same
    /// directory, created with `open(O_CREAT | O_EXCL, 0600)`, then `fsync`ed and published under
    /// `path` with `link` (which never replaces an existing file; on filesystems without hard
    /// links it falls back to `rename` after re-checking), and the directory is `fsync`ed.
    /// - Parameter path: where to create the file; it must not exist yet.
    /// - Throws: ``CryptoError`` with code `keyFileUnwritable` when the path already exists or the
    ///   file cannot be created, written or published; `invalidKey` when encoding fails.
    public func write(toFile path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            throw CryptoError(.keyFileUnwritable, "cannot write private key file at \(path): the path already exists")
        }
        var pem = try pemBytes()
        defer { wipe(&pem) }

        let suffix = try SecureRandom.bytes(count: 8).map { String($0, radix: 16) }.joined()
        let temporaryPath = "\(path).tmp-\(suffix)"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Self.fileError(.keyFileUnwritable, "cannot create private key file at \(path)", errno)
        }
        var published = false
        defer { if !published { unlink(temporaryPath) } }
        do {
            defer { close(descriptor) }
            // The umask may only have removed bits; make the mode exactly 0600.
            guard fchmod(descriptor, 0o600) == 0 else {
                throw Self.fileError(.keyFileUnwritable, "cannot set mode 0600 on private key file at \(path)", errno)
            }
            try Self.writeAll(pem, to: descriptor, path: path)
            guard fsync(descriptor) == 0 else {
                throw Self.fileError(.keyFileUnwritable, "cannot fsync private key file at \(path)", errno)
            }
        }
        try Self.publish(temporaryPath, at: path)
        published = true
        Self.syncDirectory(of: path)
    }

    /// Loads a key saved by ``write(toFile:)`` (unencrypted PKCS#8 PEM).
    ///
    /// Error messages name the path, never the file's content.
    /// - Parameter path: the key file.
    /// - Returns: the key.
    /// - Throws: ``CryptoError`` with code `keyFileUnreadable` when the file cannot be read (missing,
    ///   not a regular file, too large), or `pemMalformed` when it does not hold an Ed25519 key.
    public static func read(fromFile path: String) throws -> Ed25519PrivateKey {
        var bytes = try readKeyFile(path)
        defer { wipe(&bytes) }
        do {
            return try Ed25519PrivateKey(pemBytes: bytes)
        } catch let error as CryptoError {
            throw CryptoError(
                error.code, "private key file at \(path): \(error.message)", openSSLErrors: error.openSSLErrors)
        }
    }

    // MARK: - POSIX helpers

    private static func readKeyFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw fileError(.keyFileUnreadable, "cannot open private key file at \(path)", errno)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw fileError(.keyFileUnreadable, "cannot stat private key file at \(path)", errno)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CryptoError(.keyFileUnreadable, "private key file at \(path) is not a regular file")
        }
        guard Int(status.st_size) <= maximumKeyFileSize else {
            throw CryptoError(
                .keyFileUnreadable,
                "private key file at \(path) is larger than \(maximumKeyFileSize) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: maximumKeyFileSize + 1)
        var count = 0
        while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if result == 0 { break }
            if result < 0 {
                if errno == EINTR { continue }
                wipe(&bytes)
                throw fileError(.keyFileUnreadable, "cannot read private key file at \(path)", errno)
            }
            count += result
        }
        guard count <= maximumKeyFileSize else {
            wipe(&bytes)
            throw CryptoError(
                .keyFileUnreadable, "private key file at \(path) is larger than \(maximumKeyFileSize) bytes")
        }
        let content = Array(bytes[..<count])
        wipe(&bytes)
        return content
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw fileError(.keyFileUnwritable, "cannot write private key file at \(path)", errno)
            }
            offset += result
        }
    }

    /// Gives the finished temporary file its final name without replacing an existing file.
    private static func publish(_ temporaryPath: String, at path: String) throws {
        if link(temporaryPath, path) == 0 {
            unlink(temporaryPath)
            return
        }
        let linkError = errno
        if linkError == EEXIST {
            throw CryptoError(.keyFileUnwritable, "cannot write private key file at \(path): the path already exists")
        }
        // No hard links here (EPERM, ENOTSUP, ...): check again, then rename.
        var status = stat()
        if lstat(path, &status) == 0 {
            throw CryptoError(.keyFileUnwritable, "cannot write private key file at \(path): the path already exists")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw fileError(.keyFileUnwritable, "cannot move private key file into place at \(path)", errno)
        }
    }

    /// Best-effort `fsync` of the directory holding `path`, so the new name survives a crash.
    private static func syncDirectory(of path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func fileError(
        _ code: CryptoError.Code, _ message: String, _ number: Int32, file: String = #fileID, line: Int = #line
    ) -> CryptoError {
        CryptoError(code, "\(message): \(String(cString: strerror(number))) (errno \(number))", file: file, line: line)
    }
}
