internal import COpenSSL

/// An OpenSSL `SSL_CTX` set up for Accord: TLS 1.3 only, Mozilla "modern" cipher suites,
/// groups X25519, P-256 and P-384, no session tickets or resumption, no compression, and
/// mutual authentication against the federation CA bundle (plus an optional CRL file).
///
/// `@unchecked Sendable` is safe: the `SSL_CTX` is configured completely in `init` and never
/// changed afterwards (no setters exist), and OpenSSL allows `SSL_new` on one `SSL_CTX` from
/// many threads at once; the configuration is an immutable value.
///
/// The process must ignore `SIGPIPE` (`signal(SIGPIPE, SIG_IGN)`, as the `accord` CLI does):
/// OpenSSL writes to the socket with `write(2)`, which raises `SIGPIPE` when the peer has gone.
public final class TLSContext: @unchecked Sendable {
    /// Which side of the handshake the context is for.
    public enum Role: Sendable {
        /// Accepts connections; requires a client certificate (`SSL_VERIFY_FAIL_IF_NO_PEER_CERT`)
        /// unless ``TLSConfiguration/clientCertificates`` is ``TLSClientCertificates/optional``.
        case server
        /// Opens connections; verifies the server's certificate.
        case client
    }

    /// The TLS 1.3 cipher suites offered and accepted.
    public static let cipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// The key exchange groups offered and accepted.
    public static let groups = "X25519:P-256:P-384"

    /// The side this context is for.
    public let role: Role
    /// The configuration the context was made from.
    public let configuration: TLSConfiguration
    /// The OpenSSL context. Immutable after `init`.
    let context: OpaquePointer

    /// Builds the context, loading and checking every file of `configuration`.
    ///
    /// - Parameters:
    ///   - configuration: certificate chain, key, CA bundle, optional CRL, membership hook.
    ///   - role: server or client.
    /// - Throws: ``CryptoError`` with code `tlsContextFailed` when a file is missing or malformed,
    ///   the key does not match the leaf certificate, or OpenSSL rejects a setting; the message
    ///   names the file's path and `openSSLErrors` carries OpenSSL's error queue.
    public init(configuration: TLSConfiguration, role: Role) throws {
        CryptoError.clearOpenSSLErrors()
        guard let context = SSL_CTX_new(role == .server ? TLS_server_method() : TLS_client_method()) else {
            throw CryptoError.openSSL(.tlsContextFailed, "cannot allocate an OpenSSL SSL_CTX")
        }
        do {
            try Self.configure(context, configuration: configuration, role: role)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
        self.role = role
        self.configuration = configuration
    }

    deinit {
        SSL_CTX_free(context)
    }

    private static func configure(_ context: OpaquePointer, configuration: TLSConfiguration, role: Role) throws {
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws {
            if !ok { throw CryptoError.openSSL(.tlsContextFailed, what()) }
        }
        let version = Int32(TLS1_3_VERSION)
        try check(accord_ssl_ctx_set_min_proto_version(context, version) == 1, "cannot set the minimum TLS version 1.3")
        try check(accord_ssl_ctx_set_max_proto_version(context, version) == 1, "cannot set the maximum TLS version 1.3")
        try check(SSL_CTX_set_ciphersuites(context, cipherSuites) == 1, "cannot set TLS 1.3 cipher suites \(cipherSuites)")
        try check(accord_ssl_ctx_set1_groups_list(context, groups) == 1, "cannot set key exchange groups \(groups)")
        _ = SSL_CTX_set_options(
            context, accord_ssl_op_no_ticket() | accord_ssl_op_no_compression() | accord_ssl_op_no_renegotiation())
        try check(SSL_CTX_set_num_tickets(context, 0) == 1, "cannot disable TLS 1.3 session tickets")
        _ = accord_ssl_ctx_set_session_cache_off(context)
        _ = accord_ssl_ctx_set_mode(context, accord_ssl_mode_partial_write_moving_buffer())

        let chain = configuration.certificateChainPath
        try check(
            SSL_CTX_use_certificate_chain_file(context, chain) == 1,
            "cannot load the certificate chain (PEM, leaf first) from \(chain)")
        let key = configuration.privateKeyPath
        if SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) != 1 {
            // OpenSSL already compares the key with the loaded leaf here.
            let error = ERR_peek_last_error()
            let mismatch = ERR_GET_LIB(error) == ERR_LIB_X509 && ERR_GET_REASON(error) == X509_R_KEY_VALUES_MISMATCH
            throw CryptoError.openSSL(
                .tlsContextFailed,
                mismatch
                    ? "the private key in \(key) does not match the certificate in \(chain)"
                    : "cannot load the private key (unencrypted PEM) from \(key)")
        }
        try check(
            SSL_CTX_check_private_key(context) == 1,
            "the private key in \(key) does not match the certificate in \(chain)")

        let bundle = configuration.trustedCAPath
        try check(
            SSL_CTX_load_verify_locations(context, bundle, nil) == 1,
            "cannot load trusted CA certificates (PEM bundle) from \(bundle)")
        if let crlPath = configuration.crlPath {
            try loadCRLs(crlPath, into: context)
        }
        var mode = SSL_VERIFY_PEER
        if role == .server && configuration.clientCertificates == .required { mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT }
        SSL_CTX_set_verify(context, mode, TLSHandshake.verifyCallback)
        SSL_CTX_set_verify_depth(context, 4)
        CryptoError.clearOpenSSLErrors()
    }

    /// Adds every CRL of a PEM file to the context's certificate store and turns CRL checking on
    /// for the whole chain.
    private static func loadCRLs(_ path: String, into context: OpaquePointer) throws {
        guard let bio = BIO_new_file(path, "r") else {
            throw CryptoError.openSSL(.tlsContextFailed, "cannot open the CRL file \(path)")
        }
        defer { BIO_free(bio) }
        guard let store = SSL_CTX_get_cert_store(context) else {
            throw CryptoError.openSSL(.tlsContextFailed, "the SSL_CTX has no certificate store")
        }
        var count = 0
        while let crl = PEM_read_bio_X509_CRL(bio, nil, nil, nil) {
            defer { X509_CRL_free(crl) }
            guard X509_STORE_add_crl(store, crl) == 1 else {
                throw CryptoError.openSSL(.tlsContextFailed, "cannot add CRL \(count + 1) of \(path)")
            }
            count += 1
        }
        // A clean end of file shows as "no start line"; anything else is a malformed CRL.
        let last = ERR_peek_last_error()
        let cleanEnd = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE
        let leftovers = CryptoError.drainOpenSSLErrors()
        guard count > 0 else {
            throw CryptoError(.tlsContextFailed, "no PEM CRL found in \(path)", openSSLErrors: leftovers)
        }
        guard cleanEnd else {
            throw CryptoError(
                .tlsContextFailed, "CRL \(count + 1) of \(path) is malformed", openSSLErrors: leftovers)
        }
        guard X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL)) == 1 else {
            throw CryptoError.openSSL(.tlsContextFailed, "cannot enable CRL checking for \(path)")
        }
    }
}
