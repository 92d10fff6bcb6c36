import AccordCrypto
import Testing

@Suite("CryptoError")
struct CryptoErrorTests {
    @Test("equality compares codes only; description shows code, message, OpenSSL errors, place")
    func shape() throws {
        let first = #expect(throws: CryptoError.self) { try Ed25519PublicKey(pem: "garbage") }
        let second = #expect(throws: CryptoError.self) { try Ed25519PrivateKey(pem: "other garbage") }
        let lengthError = #expect(throws: CryptoError.self) { try Ed25519PublicKey(rawRepresentation: [1]) }
        let a = try #require(first)
        let b = try #require(second)
        let c = try #require(lengthError)
        #expect(a == b)
        #expect(a != c)
        #expect(a.code == .pemMalformed)
        #expect(!a.openSSLErrors.isEmpty)
        #expect(a.openSSLErrors.allSatisfy { $0.hasPrefix("error:") })
        #expect(c.openSSLErrors.isEmpty)
        #expect(a.description.hasPrefix("pemMalformed: "))
        #expect(a.description.contains(a.openSSLErrors[0]))
        #expect(a.file.hasSuffix(".swift"))
        #expect(a.line > 0)
        #expect(CryptoError.Code.keyFileUnwritable.description == "keyFileUnwritable")
    }

    @Test("the OpenSSL queue is drained: a later failure does not inherit older entries")
    func queueDrained() throws {
        let first = try #require(#expect(throws: CryptoError.self) { try Ed25519PublicKey(pem: "garbage") })
        let second = try #require(#expect(throws: CryptoError.self) { try Ed25519PublicKey(pem: "garbage") })
        #expect(first.openSSLErrors == second.openSSLErrors)
        // A failed verification leaves nothing behind either.
        let key = try Ed25519PrivateKey.generate()
        #expect(!key.publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: [1]))
        let third = try #require(#expect(throws: CryptoError.self) { try Ed25519PublicKey(pem: "garbage") })
        #expect(third.openSSLErrors == first.openSSLErrors)
    }
}
