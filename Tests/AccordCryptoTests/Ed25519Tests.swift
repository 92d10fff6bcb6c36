import AccordCrypto
import Testing

/// RFC 8032 section 7.1 test vectors.
struct RFC8032Vector: Sendable, CustomStringConvertible {
    let name: String
    let secret: String
    let publicKey: String
    let message: String
    let signature: String
    var description: String { name }

    static let all = [
        RFC8032Vector(
            name: "TEST 1 (empty message)",
            secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        RFC8032Vector(
            name: "TEST 2 (message 0x72)",
            secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]
}

@Suite("Ed25519")
struct Ed25519Tests {
    @Test("RFC 8032 vectors: derive, sign, verify", arguments: RFC8032Vector.all)
    func rfc8032(vector: RFC8032Vector) throws {
        let key = try Ed25519PrivateKey(rawRepresentation: hexBytes(vector.secret))
        #expect(key.publicKey.rawRepresentation == hexBytes(vector.publicKey))
        let message = hexBytes(vector.message)
        let signature = try key.signature(for: message)
        #expect(signature == hexBytes(vector.signature))
        let publicKey = try Ed25519PublicKey(rawRepresentation: hexBytes(vector.publicKey))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.isValidSignature(hexBytes(vector.signature), for: message))
        #expect(!publicKey.isValidSignature(hexBytes(vector.signature), for: message + [0]))
    }

    @Test("generated keys sign and verify; tampering is detected")
    func roundTripAndTampering() throws {
        let key = try Ed25519PrivateKey.generate()
        let message = Array("batch 7 of stream (sales, contact)".utf8)
        let signature = try key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))

        for bit in [0, 7, 100, message.count * 8 - 1] {
            var flipped = message
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(!key.publicKey.isValidSignature(signature, for: flipped), "message bit \(bit)")
        }
        for bit in [0, 255, 256, 511] {
            var flipped = signature
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(!key.publicKey.isValidSignature(flipped, for: message), "signature bit \(bit)")
        }
        let other = try Ed25519PrivateKey.generate()
        #expect(other.publicKey != key.publicKey)
        #expect(!other.publicKey.isValidSignature(signature, for: message))
    }

    @Test("signatures of the wrong length are invalid, not errors")
    func wrongLengthSignature() throws {
        let key = try Ed25519PrivateKey.generate()
        let message: [UInt8] = [1, 2, 3]
        let signature = try key.signature(for: message)
        #expect(!key.publicKey.isValidSignature([], for: message))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message))
        #expect(!key.publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: message))
    }

    @Test("raw keys of the wrong length are rejected with invalidKey")
    func wrongLengthKeys() {
        for length in [0, 31, 33, 64] {
            let bytes = [UInt8](repeating: 1, count: length)
            let publicError = #expect(throws: CryptoError.self) { try Ed25519PublicKey(rawRepresentation: bytes) }
            #expect(publicError?.code == .invalidKey)
            #expect(publicError?.message.contains("\(length)") == true)
            let privateError = #expect(throws: CryptoError.self) { try Ed25519PrivateKey(rawRepresentation: bytes) }
            #expect(privateError?.code == .invalidKey)
        }
    }

    @Test("Ed25519PublicKey is hashable by its bytes")
    func publicKeyHashable() throws {
        let key = try Ed25519PrivateKey.generate()
        let copy = try Ed25519PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        #expect(Set([key.publicKey, copy]).count == 1)
    }

    @Test("one private key signs correctly from many tasks at once")
    func concurrentSigning() async throws {
        let key = try Ed25519PrivateKey.generate()
        let publicKey = key.publicKey
        await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<100 {
                        let message = Array("task \(task) message \(index)".utf8)
                        guard let signature = try? key.signature(for: message),
                            publicKey.isValidSignature(signature, for: message)
                        else { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
