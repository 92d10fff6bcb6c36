import AccordCrypto
import Foundation
import Testing

/// Server contexts with `clientCertificates = .optional` (the HTTPS API): a client may come without
/// a certificate; one that presents a certificate has it verified exactly as under `.required`.
@Suite("TLS with optional client certificates")
struct TLSOptionalClientTests {
    /// A one-request HTTP responder: reads the request head, answers `200` with the peer's unit.
    func serve(_ context: TLSContext, seen: Locked<String?>) throws -> OneShotServer {
        try OneShotServer(context: context) { connection in
            seen.value = connection.peer?.unit ?? "anonymous"
            var head: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1024)
            while !(head.count >= 4 && Array(head.suffix(4)) == Array("\r\n\r\n".utf8)) {
                let count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
                guard count > 0 else { throw FixtureError(message: "the client closed before its request ended") }
                head += buffer[..<count]
            }
            let body = seen.value ?? ""
            try connection.write(Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8))
        }
    }

    func curl(_ port: UInt16, _ fixture: TLSFixture, _ extra: [String] = []) throws -> ProcessOutput {
        try runProcess("/usr/bin/env", ["curl", "-sS", "--max-time", "10", "--cacert", fixture.caPath] + extra + ["https://127.0.0.1:\(port)/"])
    }

    func optionalContext(_ fixture: TLSFixture) throws -> TLSContext {
        var configuration = try fixture.configuration("retail")
        configuration.clientCertificates = .optional
        return try TLSContext(configuration: configuration, role: .server)
    }

    @Test("a client without a certificate gets a session with no peer")
    func anonymousClient() throws {
        let fixture = try TLSFixture()
        let seen = Locked<String?>(nil)
        let server = try serve(try optionalContext(fixture), seen: seen)
        let result = try curl(server.port, fixture)
        try server.finish().get()
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "anonymous")
    }

    @Test("a presented certificate is verified and names the unit")
    func verifiedClient() throws {
        let fixture = try TLSFixture()
        let paths = try fixture.issue("insurance")
        let seen = Locked<String?>(nil)
        let server = try serve(try optionalContext(fixture), seen: seen)
        let result = try curl(server.port, fixture, ["--cert", paths.chain, "--key", paths.key])
        try server.finish().get()
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "insurance")
    }

    @Test("a presented certificate from another CA is refused in the handshake, not ignored")
    func rogueClient() throws {
        let fixture = try TLSFixture()
        let rogue = fixture.directory + "/rogue"
        try fixture.script(["init-ca", rogue, "--name", "Rogue CA"])
        let paths = try fixture.issue("insurance", ca: rogue)
        let seen = Locked<String?>(nil)
        let server = try serve(try optionalContext(fixture), seen: seen)
        let result = try curl(server.port, fixture, ["--cert", paths.chain, "--key", paths.key])
        let error = try #require(try server.failure())
        #expect(error.code == .peerRefused)
        #expect(error.description.contains("unable to get local issuer certificate"), "\(error)")
        #expect(result.status != 0)
        #expect(seen.value == nil)
    }

    @Test("a refusal by acceptPeer still aborts the handshake")
    func refusedByHook() throws {
        let fixture = try TLSFixture()
        let paths = try fixture.issue("insurance")
        var configuration = try fixture.configuration("retail") { _ in .refuse("not this one") }
        configuration.clientCertificates = .optional
        let seen = Locked<String?>(nil)
        let server = try serve(try TLSContext(configuration: configuration, role: .server), seen: seen)
        _ = try curl(server.port, fixture, ["--cert", paths.chain, "--key", paths.key])
        let error = try #require(try server.failure())
        #expect(error.code == .peerRefused)
        #expect(error.description.contains("not this one"), "\(error)")
    }

    @Test("the default (sync) context still refuses a client without a certificate")
    func requiredByDefault() throws {
        let fixture = try TLSFixture()
        let seen = Locked<String?>(nil)
        let server = try serve(try fixture.context("retail", .server), seen: seen)
        let result = try curl(server.port, fixture)
        let error = try #require(try server.failure())
        #expect(error.code == .peerRefused)
        #expect(error.description.contains("presented no certificate"), "\(error)")
        #expect(result.status != 0)
        #expect(seen.value == nil)
    }
}
