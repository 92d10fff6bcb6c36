import AccordCrypto
import Foundation
import Synchronization
import Testing

@Suite("TLS sessions over loopback")
struct TLSSessionTests {
    @Test("mutual TLS 1.3 handshake, identities from the SAN, 1 MiB each way, clean close reads 0")
    func roundTrip() throws {
        let fixture = try TLSFixture()
        try fixture.issue("insurance", ["--ed25519"])
        let serverContext = try fixture.context("retail", .server)
        let clientContext = try fixture.context("insurance", .client)
        let upload = pattern(count: 1 << 20, seed: 1)
        let download = pattern(count: 1 << 20, seed: 2)
        let seen = Locked<(PeerIdentity?, String, String)>((nil, "", ""))
        let server = try OneShotServer(context: serverContext) { connection in
            seen.value = (connection.peer, connection.protocolVersion, connection.cipher)
            let received = try connection.readExactly(upload.count)
            guard received == upload else { throw FixtureError(message: "server received different bytes") }
            try connection.write(download)
            var byte: UInt8 = 0
            let count = try withUnsafeMutableBytes(of: &byte) { try connection.read(into: $0) }
            guard count == 0 else { throw FixtureError(message: "server expected a clean close, read \(count)") }
        }
        let client = try connectClient(port: server.port, context: clientContext, serverUnit: "retail")
        #expect(client.peer?.unit == "retail")
        #expect(client.peer?.subject.contains("CN=retail") == true)
        #expect(client.protocolVersion == "TLSv1.3")
        #expect(TLSContext.cipherSuites.split(separator: ":").contains(Substring(client.cipher)))
        try client.write(upload)
        #expect(try client.readExactly(download.count) == download)
        client.close()
        client.close()  // idempotent
        let afterClose = #expect(throws: CryptoError.self) { try client.write([1]) }
        #expect(afterClose?.code == .connectionClosed)
        try server.finish().get()

        let (peer, version, cipher) = seen.value
        let identity = try #require(peer)
        #expect(identity.unit == "insurance")
        #expect(identity.subject.contains("CN=insurance"))
        #expect(identity.notAfter?.hasSuffix("Z") == true)
        let serial = try runProcess(
            "/usr/bin/env", ["openssl", "x509", "-noout", "-serial", "-in", fixture.directory + "/units/insurance.pem"])
        #expect(serial.output.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=\(identity.serialHex)")
        #expect(version == "TLSv1.3")
        #expect(cipher == client.cipher)
    }

    @Test("the client reads 0 after the server's close_notify; reads time out without data")
    func serverCloseAndTimeout() throws {
        let fixture = try TLSFixture()
        let serverContext = try fixture.context("retail", .server)
        let clientContext = try fixture.context("insurance", .client)
        let server = try OneShotServer(context: serverContext) { connection in
            // Let the client's read time out once, then send a little and close cleanly.
            Thread.sleep(forTimeInterval: 0.5)
            try connection.write([1, 2, 3])
        }
        let fd = try Socket.connect(host: "127.0.0.1", port: server.port, timeout: 5)
        Socket.setTimeouts(fd, read: 5, write: 5)
        let client = try TLSConnection.connect(socket: fd, context: clientContext, serverUnit: "retail")
        defer { client.close() }
        // The connection reads the socket's SO_RCVTIMEO at each read.
        Socket.setTimeouts(fd, read: 0.2, write: 5)
        let started = Date()
        let timeout = #expect(throws: CryptoError.self) { try client.readExactly(1) }
        #expect(timeout?.code == .timedOut)
        #expect(Date().timeIntervalSince(started) < 2)
        Socket.setTimeouts(fd, read: 5, write: 5)
        #expect(try client.readExactly(3) == [1, 2, 3])
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try client.read(into: $0) } == 0)
        let truncated = #expect(throws: CryptoError.self) { try client.readExactly(1) }
        #expect(truncated?.code == .connectionClosed)
        try server.finish().get()
    }

    @Test("a client expecting unit retail refuses a server certified as support")
    func wrongServerIdentity() throws {
        let fixture = try TLSFixture()
        let server = try OneShotServer(context: try fixture.context("support", .server))
        let error = #expect(throws: CryptoError.self) {
            try connectClient(port: server.port, context: try fixture.context("insurance", .client), serverUnit: "retail")
        }
        #expect(error?.code == .peerRefused)
        #expect(error?.message.contains("server identifies as unit support, expected retail") == true)
        // The server never completes its handshake either.
        #expect(try server.failure() != nil)
    }

    @Test("a reader and a writer on two threads share one connection")
    func concurrentReadWrite() throws {
        let fixture = try TLSFixture()
        let size = 4 << 20
        let server = try OneShotServer(context: try fixture.context("retail", .server)) { connection in
            // Echo everything back while it arrives.
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var total = 0
            while total < size {
                let count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
                guard count > 0 else { throw FixtureError(message: "early close") }
                try connection.write(Array(buffer[..<count]))
                total += count
            }
        }
        let client = try connectClient(port: server.port, context: try fixture.context("insurance", .client))
        defer { client.close() }
        let data = pattern(count: size, seed: 9)
        let writerDone = DispatchSemaphore(value: 0)
        let writerError = Locked<(any Error)?>(nil)
        Thread {
            do {
                for start in stride(from: 0, to: size, by: 100_000) {
                    try client.write(Array(data[start..<min(start + 100_000, size)]))
                }
            } catch {
                writerError.value = error
            }
            writerDone.signal()
        }.start()
        let echoed = try client.readExactly(size)
        #expect(writerDone.wait(timeout: .now() + 10) == .success)
        #expect(writerError.value == nil)
        #expect(echoed == data)
        try server.finish().get()
    }
}
