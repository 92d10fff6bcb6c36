import AccordCrypto
import Testing

@Suite("Ed25519 PEM")
struct Ed25519PEMTests {
    /// An X25519 key pair (another algorithm with 32-byte keys), made with `openssl genpkey`.
    static let x25519PrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VuBCIEIBh59T1sWCucZD9xm0VbTdmQ4k3M+fqe0ntyT2vIAeZm
        -----END PRIVATE KEY-----

        """
    static let x25519PublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VuAyEAxAQVkPsUvdI20cNusJJ+0hjnUr64iPiVPX08ueTbUw8=
        -----END PUBLIC KEY-----

        """

    @Test("private key PEM is PKCS#8 and round-trips")
    func privateRoundTrip() throws {
        let key = try Ed25519PrivateKey.generate()
        let pem = try key.pemRepresentation()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let parsed = try Ed25519PrivateKey(pem: pem)
        #expect(parsed.publicKey == key.publicKey)
        #expect(try parsed.pemRepresentation() == pem)
        let message: [UInt8] = [9, 8, 7]
        #expect(key.publicKey.isValidSignature(try parsed.signature(for: message), for: message))
    }

    @Test("RFC 8032 secret encodes to the known PKCS#8 PEM")
    func knownPrivatePEM() throws {
        // RFC 8410 section 10.3 layout: 302e020100300506032b657004220420 || seed.
        let seed = hexBytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        let key = try Ed25519PrivateKey(rawRepresentation: seed)
        let der = hexBytes("302e020100300506032b657004220420") + seed
        let expected = "-----BEGIN PRIVATE KEY-----\n\(base64(der))\n-----END PRIVATE KEY-----\n"
        #expect(try key.pemRepresentation() == expected)
    }

    @Test("public key PEM is SubjectPublicKeyInfo and round-trips")
    func publicRoundTrip() throws {
        let publicKey = try Ed25519PublicKey(
            rawRepresentation: hexBytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let pem = try publicKey.pemRepresentation()
        let der = hexBytes("302a300506032b6570032100") + publicKey.rawRepresentation
        #expect(pem == "-----BEGIN PUBLIC KEY-----\n\(base64(der))\n-----END PUBLIC KEY-----\n")
        #expect(try Ed25519PublicKey(pem: pem) == publicKey)
    }

    @Test("garbage PEM throws pemMalformed and carries OpenSSL's error queue")
    func garbage() {
        for text in ["", "garbage", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"] {
            let privateError = #expect(throws: CryptoError.self) { try Ed25519PrivateKey(pem: text) }
            #expect(privateError?.code == .pemMalformed)
            #expect(privateError?.openSSLErrors.isEmpty == false)
            let publicError = #expect(throws: CryptoError.self) { try Ed25519PublicKey(pem: text) }
            #expect(publicError?.code == .pemMalformed)
            #expect(publicError?.openSSLErrors.isEmpty == false)
        }
    }

    @Test("keys of another algorithm, or the wrong half, are rejected")
    func wrongKinds() throws {
        #expect(throws: CryptoError.self) { try Ed25519PrivateKey(pem: Self.x25519PrivatePEM) }
        let publicError = #expect(throws: CryptoError.self) { try Ed25519PublicKey(pem: Self.x25519PublicPEM) }
        #expect(publicError?.code == .pemMalformed)
        let key = try Ed25519PrivateKey.generate()
        let halfError = #expect(throws: CryptoError.self) {
            try Ed25519PrivateKey(pem: key.publicKey.pemRepresentation())
        }
        #expect(halfError?.code == .pemMalformed)
    }

    private func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var text = ""
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = Array(bytes[start..<min(start + 3, bytes.count)])
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for index in 0..<4 {
                text.append(index <= chunk.count ? alphabet[(value >> (18 - 6 * index)) & 63] : "=")
            }
        }
        return text
    }
}
