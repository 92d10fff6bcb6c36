import AccordCrypto
import Foundation
import Testing

@Suite("Ed25519 key files")
struct Ed25519KeyFileTests {
    @Test("write creates a 0600 file that reads back as the same key")
    func writeAndRead() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/node.key"
            let key = try Ed25519PrivateKey.generate()
            try key.write(toFile: path)

            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            var status = stat()
            #expect(stat(path, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o600)

            #expect(try String(contentsOfFile: path, encoding: .utf8) == key.pemRepresentation())
            let loaded = try Ed25519PrivateKey.read(fromFile: path)
            #expect(loaded.publicKey == key.publicKey)
            // Only the key file is left: no temporary files.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["node.key"])
        }
    }

    @Test("write refuses to overwrite an existing file and leaves it alone")
    func refusesOverwrite() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/node.key"
            let first = try Ed25519PrivateKey.generate()
            try first.write(toFile: path)
            let second = try Ed25519PrivateKey.generate()
            let error = #expect(throws: CryptoError.self) { try second.write(toFile: path) }
            #expect(error?.code == .keyFileUnwritable)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("exists") == true)
            #expect(try Ed25519PrivateKey.read(fromFile: path).publicKey == first.publicKey)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["node.key"])
        }
    }

    @Test("write into a missing directory fails with keyFileUnwritable naming the path")
    func missingDirectory() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/absent/node.key"
            let error = #expect(throws: CryptoError.self) { try Ed25519PrivateKey.generate().write(toFile: path) }
            #expect(error?.code == .keyFileUnwritable)
            #expect(error?.message.contains(path) == true)
        }
    }

    @Test("reading a missing file throws keyFileUnreadable naming the path")
    func missingFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/missing.key"
            let error = #expect(throws: CryptoError.self) { try Ed25519PrivateKey.read(fromFile: path) }
            #expect(error?.code == .keyFileUnreadable)
            #expect(error?.message.contains(path) == true)
        }
    }

    @Test("reading a directory throws keyFileUnreadable")
    func directoryIsNotAKeyFile() throws {
        try withTemporaryDirectory { directory in
            let error = #expect(throws: CryptoError.self) { try Ed25519PrivateKey.read(fromFile: directory) }
            #expect(error?.code == .keyFileUnreadable)
        }
    }

    @Test("reading garbage throws pemMalformed naming the path, never the content")
    func garbageFile() throws {
        try withTemporaryDirectory { directory in
            let marker = "SECRET-MARKER-8c1f"
            let contents = [
                "not a key \(marker)\n",
                "-----BEGIN PRIVATE KEY-----\n\(marker)\n-----END PRIVATE KEY-----\n",
            ]
            for (index, content) in contents.enumerated() {
                let path = directory + "/garbage\(index).key"
                try content.write(toFile: path, atomically: false, encoding: .utf8)
                let error = #expect(throws: CryptoError.self) { try Ed25519PrivateKey.read(fromFile: path) }
                #expect(error?.code == .pemMalformed)
                #expect(error?.message.contains(path) == true)
                #expect(error?.description.contains(marker) == false)
                #expect(error?.openSSLErrors.joined().contains(marker) == false)
                #expect(error?.openSSLErrors.isEmpty == false)
            }
        }
    }

    @Test("a file that is far too large is refused without parsing")
    func oversizedFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/big.key"
            try Data(count: 1 << 20).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: CryptoError.self) { try Ed25519PrivateKey.read(fromFile: path) }
            #expect(error?.code == .keyFileUnreadable)
        }
    }
}
