internal import COpenSSL
internal import Foundation

/// A federation CA held in memory: an EC P-256 key and a self-signed CA certificate.
///
/// It issues the same certificates as `ops/federation-ca.sh`, in process with the OpenSSL 3 C
/// API: CA subject `O=Accord, CN=<name>` with `basicConstraints = critical, CA:TRUE`,
/// `keyUsage = critical, keyCertSign, cRLSign` and a subject key identifier; unit certificates
/// with subject `O=Accord, OU=<unit>, CN=<unit>`, the SAN
/// `URI:accord://unit/<unit>, DNS:localhost, IP:127.0.0.1`, `CA:FALSE`,
/// `keyUsage = critical, digitalSignature`, `extendedKeyUsage = serverAuth, clientAuth`, and
/// subject and authority key identifiers, signed with ECDSA SHA-256. Serial numbers are random
/// (159 bits). The CA key lives only in memory: this is for local federations (`accord demo`,
/// tests), not a replacement for the script's on-disk CA.
///
/// `@unchecked Sendable` is safe: the `EVP_PKEY` and `X509` are built completely in `init` and
/// never changed afterwards; issuing only reads them (OpenSSL 3 allows concurrent read-only use
/// of one `EVP_PKEY` and one `X509`), and every issued certificate is a new object.
public final class CertificateAuthority: @unchecked Sendable {
    /// The CA private key (`EVP_PKEY *`). Immutable after `init`.
    private let key: OpaquePointer
    /// The self-signed CA certificate (`X509 *`). Immutable after `init`.
    private let certificate: OpaquePointer

    /// Creates a new CA: a fresh EC P-256 key and a self-signed X.509 v3 certificate.
    ///
    /// - Parameters:
    ///   - name: the CA's common name: 1 to 64 bytes of UTF-8 without control characters.
    ///   - days: validity in days from now (1...36500); it starts 60 s in the past.
    /// - Throws: ``CryptoError`` with code `invalidArgument` for a bad name or validity,
    ///   `keyGenerationFailed` or `certificateFailed` when OpenSSL fails.
    public init(name: String, days: Int = 3650) throws {
        guard !name.isEmpty, name.utf8.count <= 64, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw CryptoError(.invalidArgument, "a CA name has 1 to 64 bytes and no control characters")
        }
        try Self.checkDays(days)
        let key = try Self.generateKey()
        do {
            self.certificate = try Self.makeCertificate(
                subject: [("O", "Accord"), ("CN", name)], publicKey: key, days: days, issuer: nil, issuerKey: key,
                extensions: [
                    (NID_basic_constraints, "critical,CA:TRUE"),
                    (NID_key_usage, "critical,keyCertSign,cRLSign"),
                    (NID_subject_key_identifier, "hash"),
                ])
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// The CA certificate as PEM (`-----BEGIN CERTIFICATE-----`), for trust bundles.
    ///
    /// - Returns: the PEM text, ending with a newline.
    /// - Throws: ``CryptoError`` with code `certificateFailed` when OpenSSL cannot encode it.
    public func certificatePEM() throws -> String {
        try Self.pem(of: certificate)
    }

    /// Issues a unit certificate for a new EC P-256 key, signed by this CA with SHA-256.
    ///
    /// - Parameters:
    ///   - unit: the unit id, matching `^[a-z][a-z0-9_-]{0,62}$`; it becomes the subject's `OU`
    ///     and `CN` and the SAN URI `accord://unit/<unit>` (with `DNS:localhost, IP:127.0.0.1`).
    ///   - days: validity in days from now (1...36500); it starts 60 s in the past.
    /// - Returns: the certificate PEM and the new private key as unencrypted PKCS#8 PEM. The key
    ///   is secret: store it only in a file readable by its owner (see ``writeUnitFiles(unit:to:days:)``).
    /// - Throws: ``CryptoError`` with code `invalidArgument` for a bad unit id or validity,
    ///   `keyGenerationFailed`, `certificateFailed` or `invalidKey` when OpenSSL fails.
    public func issue(unit: String, days: Int = 365) throws -> (certificatePEM: String, privateKeyPEM: String) {
        guard PeerIdentity.isValidUnit(unit) else {
            throw CryptoError(.invalidArgument, "a unit id must match ^[a-z][a-z0-9_-]{0,62}$")
        }
        try Self.checkDays(days)
        let unitKey = try Self.generateKey()
        defer { EVP_PKEY_free(unitKey) }
        let leaf = try Self.makeCertificate(
            subject: [("O", "Accord"), ("OU", unit), ("CN", unit)], publicKey: unitKey, days: days,
            issuer: certificate, issuerKey: key,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
                (NID_ext_key_usage, "serverAuth,clientAuth"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid"),
                (NID_subject_alt_name, "URI:\(PeerIdentity.unitURIPrefix)\(unit),DNS:localhost,IP:127.0.0.1"),
            ])
        defer { X509_free(leaf) }
        let certificatePEM = try Self.pem(of: leaf)
        var keyBytes = try MemoryBIO.written(secure: true, what: "the unit \(unit)'s private key as PEM") { bio in
            PEM_write_bio_PrivateKey(bio, unitKey, nil, nil, 0, nil, nil)
        }
        defer { wipe(&keyBytes) }
        return (certificatePEM, String(decoding: keyBytes, as: UTF8.self))
    }

    /// Issues a unit certificate and writes the files a node expects: `DIR/<unit>.key` (the
    /// PKCS#8 key, mode 0600, never replacing an existing file), `DIR/<unit>.pem` (the
    /// certificate, 0644) and `DIR/ca.pem` (this CA's certificate, 0644). The two certificate
    /// files are replaced atomically when they exist. `DIR` and missing parents are created
    /// with mode 0700.
    ///
    /// - Parameters:
    ///   - unit: the unit id, matching `^[a-z][a-z0-9_-]{0,62}$`.
    ///   - directory: the directory to write into.
    ///   - days: validity of the unit certificate in days (1...36500).
    /// - Throws: ``CryptoError`` with code `keyFileUnwritable` when `DIR/<unit>.key` already exists
    ///   or cannot be written, `fileUnwritable` when the directory or a certificate file cannot be
    ///   made (the message names the path), `invalidArgument` for an empty directory path, or the
    ///   errors of ``issue(unit:days:)``.
    public func writeUnitFiles(unit: String, to directory: String, days: Int = 365) throws {
        guard PeerIdentity.isValidUnit(unit) else {
            throw CryptoError(.invalidArgument, "a unit id must match ^[a-z][a-z0-9_-]{0,62}$")
        }
        guard !directory.isEmpty else {
            throw CryptoError(.invalidArgument, "the directory for the unit \(unit)'s files is an empty path")
        }
        let base = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        let keyPath = "\(base)/\(unit).key"
        var status = stat()
        if lstat(keyPath, &status) == 0 {
            throw CryptoError(.keyFileUnwritable, "cannot write private key file at \(keyPath): the path already exists")
        }
        try Self.makeDirectories(base)
        let issued = try issue(unit: unit, days: days)
        var keyBytes = Array(issued.privateKeyPEM.utf8)
        defer { wipe(&keyBytes) }
        try Self.writeFile(keyBytes, to: keyPath, mode: 0o600, replace: false, code: .keyFileUnwritable, what: "private key file")
        do {
            try Self.writeFile(
                Array(issued.certificatePEM.utf8), to: "\(base)/\(unit).pem", mode: 0o644, replace: true,
                code: .fileUnwritable, what: "certificate file")
            try Self.writeFile(
                Array(try certificatePEM().utf8), to: "\(base)/ca.pem", mode: 0o644, replace: true,
                code: .fileUnwritable, what: "CA certificate file")
        } catch {
            // The key was created above by this call: remove it so a retry can start afresh.
            unlink(keyPath)
            throw error
        }
    }

    // MARK: - OpenSSL

    private static func checkDays(_ days: Int) throws {
        guard (1...36_500).contains(days) else {
            throw CryptoError(.invalidArgument, "a validity period has 1 to 36500 days, got \(days)")
        }
    }

    /// A new EC P-256 key (named curve); the caller frees it.
    private static func generateKey() throws -> OpaquePointer {
        CryptoError.clearOpenSSLErrors()
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else {
            throw CryptoError.openSSL(.keyGenerationFailed, "cannot create an EC key generation context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(context) == 1,
            EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1,
            EVP_PKEY_keygen(context, &key) == 1, let key
        else {
            throw CryptoError.openSSL(.keyGenerationFailed, "OpenSSL failed to generate an EC P-256 key")
        }
        return key
    }

    /// Builds and signs an X.509 v3 certificate; the caller frees it. `issuer` nil means self-signed.
    private static func makeCertificate(
        subject: [(String, String)], publicKey: OpaquePointer, days: Int, issuer: OpaquePointer?,
        issuerKey: OpaquePointer, extensions: [(Int32, String)]
    ) throws -> OpaquePointer {
        CryptoError.clearOpenSSLErrors()
        guard let certificate = X509_new() else {
            throw CryptoError.openSSL(.certificateFailed, "cannot allocate an X509 certificate")
        }
        do {
            func check(_ ok: Bool, _ what: String) throws {
                guard ok else { throw CryptoError.openSSL(.certificateFailed, "cannot \(what)") }
            }
            try check(X509_set_version(certificate, 2) == 1, "set the certificate version to v3")
            try setRandomSerial(certificate)
            try check(
                X509_gmtime_adj(X509_getm_notBefore(certificate), -60) != nil
                    && X509_gmtime_adj(X509_getm_notAfter(certificate), days * 86_400) != nil,
                "set the certificate validity")
            guard let name = X509_NAME_new() else {
                throw CryptoError.openSSL(.certificateFailed, "cannot allocate an X509 name")
            }
            defer { X509_NAME_free(name) }
            for (field, value) in subject {
                try check(
                    X509_NAME_add_entry_by_txt(name, field, accord_mbstring_utf8(), value, -1, -1, 0) == 1,
                    "add \(field) to the certificate subject")
            }
            try check(X509_set_subject_name(certificate, name) == 1, "set the certificate subject")
            try check(
                X509_set_issuer_name(certificate, issuer.map { X509_get_subject_name($0) } ?? name) == 1,
                "set the certificate issuer")
            try check(X509_set_pubkey(certificate, publicKey) == 1, "set the certificate public key")
            var context = X509V3_CTX()
            accord_x509v3_set_ctx_nodb(&context)
            X509V3_set_ctx(&context, issuer ?? certificate, certificate, nil, nil, 0)
            for (nid, value) in extensions {
                let extensionName = String(cString: OBJ_nid2sn(nid))
                guard let made = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
                    throw CryptoError.openSSL(.certificateFailed, "cannot make the \(extensionName) extension")
                }
                defer { X509_EXTENSION_free(made) }
                try check(X509_add_ext(certificate, made, -1) == 1, "add the \(extensionName) extension")
            }
            try check(X509_sign(certificate, issuerKey, EVP_sha256()) > 0, "sign the certificate with SHA-256")
            return certificate
        } catch {
            X509_free(certificate)
            throw error
        }
    }

    /// Sets a random positive serial of 159 bits (20 bytes, top bit cleared, never zero).
    private static func setRandomSerial(_ certificate: OpaquePointer) throws {
        var bytes = try SecureRandom.bytes(count: 20)
        bytes[0] &= 0x7F
        if bytes.allSatisfy({ $0 == 0 }) { bytes[19] = 1 }
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else {
            throw CryptoError.openSSL(.certificateFailed, "cannot make the certificate serial number")
        }
        defer { BN_free(number) }
        guard let serial = BN_to_ASN1_INTEGER(number, nil) else {
            throw CryptoError.openSSL(.certificateFailed, "cannot encode the certificate serial number")
        }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(certificate, serial) == 1 else {
            throw CryptoError.openSSL(.certificateFailed, "cannot set the certificate serial number")
        }
    }

    private static func pem(of certificate: OpaquePointer) throws -> String {
        do {
            let bytes = try MemoryBIO.written(secure: false, what: "a certificate as PEM") { bio in
                PEM_write_bio_X509(bio, certificate)
            }
            return String(decoding: bytes, as: UTF8.self)
        } catch let error as CryptoError {
            throw CryptoError(.certificateFailed, error.message, openSSLErrors: error.openSSLErrors)
        }
    }

    // MARK: - Files

    /// `mkdir -p` with mode 0700 for every directory it creates.
    private static func makeDirectories(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw CryptoError(.fileUnwritable, "cannot use \(path) as a directory: it is not a directory")
            }
            return
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]))
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw fileError(.fileUnwritable, "cannot create directory \(path)", errno)
        }
    }

    /// Writes `bytes` to a new temporary file with exactly `mode`, `fsync`s it and moves it to
    /// `path`: with `rename` when `replace`, else with `link`, which never replaces a file.
    private static func writeFile(
        _ bytes: [UInt8], to path: String, mode: mode_t, replace: Bool, code: CryptoError.Code, what: String
    ) throws {
        let suffix = try SecureRandom.bytes(count: 8).map { String($0, radix: 16) }.joined()
        let temporaryPath = "\(path).tmp-\(suffix)"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw fileError(code, "cannot create \(what) at \(path)", errno) }
        defer { unlink(temporaryPath) }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else {
                throw fileError(code, "cannot set the mode of \(what) at \(path)", errno)
            }
            var offset = 0
            while offset < bytes.count {
                let result = bytes.withUnsafeBytes { buffer in
                    Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw fileError(code, "cannot write \(what) at \(path)", errno)
                }
                offset += result
            }
            guard fsync(descriptor) == 0 else { throw fileError(code, "cannot fsync \(what) at \(path)", errno) }
        }
        if replace {
            guard rename(temporaryPath, path) == 0 else {
                throw fileError(code, "cannot move \(what) into place at \(path)", errno)
            }
        } else {
            guard link(temporaryPath, path) == 0 else {
                if errno == EEXIST {
                    throw CryptoError(code, "cannot write \(what) at \(path): the path already exists")
                }
                throw fileError(code, "cannot move \(what) into place at \(path)", errno)
            }
        }
    }

    private static func fileError(
        _ code: CryptoError.Code, _ message: String, _ number: Int32, file: String = #fileID, line: Int = #line
    ) -> CryptoError {
        CryptoError(code, "\(message): \(String(cString: strerror(number))) (errno \(number))", file: file, line: line)
    }
}
