import AccordCrypto
import Foundation
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "known-answer vectors (FIPS 180-2)",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func knownAnswers(input: String, expected: String) {
        let bytes = Array(input.utf8)
        #expect(SHA256.hash(bytes).hex == expected)
        #expect(bytes.withUnsafeBytes { SHA256.hash($0) }.hex == expected)
        let hasher = SHA256Hasher()
        hasher.update(bytes)
        #expect(hasher.finalize().hex == expected)
    }

    @Test("one million 'a' (FIPS 180-2 long vector), fed incrementally")
    func millionA() {
        let hasher = SHA256Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("incremental hashing equals one-shot for random splits, and the hasher resets")
    func incrementalMatchesOneShot() {
        var generator = SystemRandomNumberGenerator()
        let hasher = SHA256Hasher()
        for _ in 0..<200 {
            let length = Int.random(in: 0...3000, using: &generator)
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var cuts = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                Int.random(in: 0...length, using: &generator)
            }
            cuts.sort()
            var start = 0
            for cut in cuts + [length] {
                if Bool.random(using: &generator) {
                    hasher.update(Array(data[start..<cut]))
                } else {
                    data[start..<cut].withUnsafeBytes { hasher.update($0) }
                }
                start = cut
            }
            #expect(hasher.finalize() == SHA256.hash(data))
        }
    }

    @Test("one-shot hashing is correct from many threads at once")
    func concurrentOneShot() async {
        let inputs = (0..<64).map { index in [UInt8](repeating: UInt8(index), count: 200 + index) }
        let expected = inputs.map { input -> SHA256Digest in
            let hasher = SHA256Hasher()
            hasher.update(input)
            return hasher.finalize()
        }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<50 {
                        for (input, digest) in zip(inputs, expected) where SHA256.hash(input) != digest {
                            return false
                        }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }

    @Test("digest hex round trip and description")
    func digestHex() throws {
        let digest = SHA256.hash(Array("abc".utf8))
        #expect(digest.bytes.count == 32)
        #expect(digest.description == digest.hex)
        #expect(SHA256Digest(hex: digest.hex) == digest)
        #expect(SHA256Digest(hex: digest.hex.uppercased()) == digest)
        #expect(SHA256Digest(hex: "abc") == nil)
        #expect(SHA256Digest(hex: String(repeating: "g", count: 64)) == nil)
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
    }
}
