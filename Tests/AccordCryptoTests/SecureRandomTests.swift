import AccordCrypto
import Testing

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("1000 16-byte salts are all distinct")
    func distinctSalts() throws {
        var seen = Set<[UInt8]>()
        for _ in 0..<1000 {
            let salt = try SecureRandom.bytes(count: 16)
            #expect(salt.count == 16)
            seen.insert(salt)
        }
        #expect(seen.count == 1000)
    }

    @Test("count 0 gives an empty array; an empty buffer is fine")
    func zeroCount() throws {
        #expect(try SecureRandom.bytes(count: 0) == [])
        try SecureRandom.fill(UnsafeMutableRawBufferPointer(start: nil, count: 0))
    }

    @Test("fill overwrites the buffer")
    func fillOverwrites() throws {
        var buffer = [UInt8](repeating: 0, count: 64)
        try buffer.withUnsafeMutableBytes { try SecureRandom.fill($0) }
        // 64 zero bytes from a working generator: probability 2^-512.
        #expect(buffer != [UInt8](repeating: 0, count: 64))
    }
}
