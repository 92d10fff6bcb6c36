import AccordCrypto
import Foundation
import Testing

/// Every refusal happens in the server's handshake, before it reads any application byte.
///
/// Under TLS 1.3 the client sends its certificate with its last handshake flight and considers
/// the handshake done without waiting for the server's verdict: the client's `connect` usually
/// succeeds, its first `write` may succeed too (the bytes are never read), and it learns of the
/// refusal on its first read, as the server's alert (`peerRefused`) or as a reset.
@Suite("TLS refusals")
struct TLSRefusalTests {
    /// Runs a client against a server and checks the server refused it with `expected` in its
    /// error, without ever reaching application data; returns the client's error.
    @discardableResult
    func expectRefusal(
        server serverContext: TLSContext, client clientContext: TLSContext, code: CryptoError.Code = .peerRefused,
        expected: String
    ) throws -> CryptoError? {
        let reachedApplicationData = Locked(false)
        let server = try OneShotServer(context: serverContext) { connection in
            reachedApplicationData.value = true
            _ = try connection.readExactly(1)
        }
        var clientError: CryptoError?
        do {
            let client = try connectClient(port: server.port, context: clientContext)
            defer { client.close() }
            try? client.write(Array("hello".utf8))
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = try buffer.withUnsafeMutableBytes { try client.read(into: $0) }
            Issue.record("a refused client read \(count) bytes instead of an error")
        } catch let error as CryptoError {
            clientError = error
        }
        let serverError = try #require(try server.failure())
        #expect(!reachedApplicationData.value)
        #expect(serverError.code == code, "\(serverError)")
        #expect(serverError.description.contains(expected), "\(serverError)")
        // The client got an error at the latest on its first read, never data.
        #expect(clientError != nil)
        return clientError
    }

    @Test("a client certificate from an unknown CA is refused")
    func unknownCA() throws {
        let fixture = try TLSFixture()
        let rogue = fixture.directory + "/rogue"
        try fixture.script(["init-ca", rogue, "--name", "Rogue CA"])
        let paths = try fixture.issue("insurance", ca: rogue)
        let client = try TLSContext(
            configuration: TLSConfiguration(
                certificateChainPath: paths.chain, privateKeyPath: paths.key, trustedCAPath: fixture.caPath),
            role: .client)
        let clientError = try expectRefusal(
            server: try fixture.context("retail", .server), client: client,
            expected: "unable to get local issuer certificate")
        // What the client sees on its first read: the server's alert (or a reset if it was lost).
        #expect(clientError?.code == .peerRefused || clientError?.code == .connectionClosed, "\(String(describing: clientError))")
    }

    @Test("an expired client certificate is refused")
    func expired() throws {
        let fixture = try TLSFixture()
        try fixture.issue("insurance", ["--start", "20200101000000Z", "--end", "20210101000000Z"])
        try expectRefusal(
            server: try fixture.context("retail", .server), client: try fixture.context("insurance", .client),
            expected: "certificate has expired")
    }

    @Test("a not-yet-valid client certificate is refused")
    func notYetValid() throws {
        let fixture = try TLSFixture()
        try fixture.issue("insurance", ["--start", "20990101000000Z", "--end", "21000101000000Z"])
        try expectRefusal(
            server: try fixture.context("retail", .server), client: try fixture.context("insurance", .client),
            expected: "certificate is not yet valid")
    }

    @Test("a revoked client certificate is refused when a CRL is configured; others still pass")
    func revoked() throws {
        let fixture = try TLSFixture()
        let revoked = try fixture.issue("insurance")
        try fixture.issue("support")
        try fixture.script(["revoke", fixture.caDirectory, revoked.chain])
        let serverContext = try fixture.context("retail", .server, crl: true)
        try expectRefusal(
            server: serverContext, client: try fixture.context("insurance", .client), expected: "certificate revoked")

        let server = try OneShotServer(context: serverContext) { connection in
            guard connection.peer?.unit == "support" else { throw FixtureError(message: "wrong peer") }
        }
        let client = try connectClient(port: server.port, context: try fixture.context("support", .client))
        client.close()
        try server.finish().get()
    }

    @Test("a client certificate without an accord://unit/ SAN URI is refused")
    func missingUnitURI() throws {
        let fixture = try TLSFixture()
        try fixture.issue("insurance", ["--no-unit-uri"])
        try expectRefusal(
            server: try fixture.context("retail", .server), client: try fixture.context("insurance", .client),
            expected: "has no accord://unit/<unit-id> SAN URI")
    }

    @Test("the membership hook refuses a non-member during the handshake")
    func notAMember() throws {
        let fixture = try TLSFixture()
        let asked = Locked<[String]>([])
        let configuration = try fixture.configuration("retail") { peer in
            asked.value.append(peer.unit)
            return peer.unit == "marketing" ? .refuse("unit marketing is not a member") : .accept
        }
        let clientError = try expectRefusal(
            server: try TLSContext(configuration: configuration, role: .server),
            client: try fixture.context("marketing", .client), expected: "unit marketing is not a member")
        #expect(asked.value == ["marketing"])
        #expect(clientError != nil)
    }

    @Test("a client without a certificate (openssl s_client) is refused")
    func noClientCertificate() throws {
        let fixture = try TLSFixture()
        let error = try refusalOfOpenSSLClient(
            fixture: fixture, arguments: ["-tls1_3", "-CAfile", fixture.caPath])
        #expect(error.code == .peerRefused)
        #expect(error.message.contains("presented no certificate"), "\(error)")
    }

    @Test("a TLS 1.2-only client (openssl s_client -tls1_2) is refused")
    func tls12Client() throws {
        let fixture = try TLSFixture()
        let client = try fixture.issue("insurance")
        let error = try refusalOfOpenSSLClient(
            fixture: fixture,
            arguments: ["-tls1_2", "-CAfile", fixture.caPath, "-cert", client.chain, "-key", client.key])
        #expect(error.code == .handshakeFailed)
        #expect(error.description.contains("unsupported protocol"), "\(error)")
    }

    /// Runs `openssl s_client` against a one-shot server and returns the server's error.
    private func refusalOfOpenSSLClient(fixture: TLSFixture, arguments: [String]) throws -> CryptoError {
        let server = try OneShotServer(context: try fixture.context("retail", .server)) { _ in
            throw FixtureError(message: "the handshake should have failed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)"] + arguments
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        return try #require(try server.failure())
    }
}
