import AccordCrypto
import Foundation
import Testing

@Suite("TLS contexts")
struct TLSContextTests {
    @Test("a key that does not match the certificate is refused, naming both paths")
    func mismatchedKey() throws {
        let fixture = try TLSFixture()
        let retail = try fixture.issue("retail")
        let other = try fixture.issue("support")
        let configuration = TLSConfiguration(
            certificateChainPath: retail.chain, privateKeyPath: other.key, trustedCAPath: fixture.caPath)
        let error = try #require(#expect(throws: CryptoError.self) { try TLSContext(configuration: configuration, role: .server) })
        #expect(error.code == .tlsContextFailed)
        #expect(error.message.contains(retail.chain) && error.message.contains(other.key), "\(error)")
        #expect(error.openSSLErrors.joined().contains("key values mismatch"), "\(error)")
    }

    @Test("a missing file is named with OpenSSL's reason")
    func missingFiles() throws {
        let fixture = try TLSFixture()
        let retail = try fixture.issue("retail")
        let missing = fixture.directory + "/absent.pem"
        let configurations = [
            TLSConfiguration(certificateChainPath: missing, privateKeyPath: retail.key, trustedCAPath: fixture.caPath),
            TLSConfiguration(certificateChainPath: retail.chain, privateKeyPath: missing, trustedCAPath: fixture.caPath),
            TLSConfiguration(certificateChainPath: retail.chain, privateKeyPath: retail.key, trustedCAPath: missing),
            TLSConfiguration(
                certificateChainPath: retail.chain, privateKeyPath: retail.key, trustedCAPath: fixture.caPath,
                crlPath: missing),
        ]
        for configuration in configurations {
            let error = try #require(#expect(throws: CryptoError.self) { try TLSContext(configuration: configuration, role: .client) })
            #expect(error.code == .tlsContextFailed)
            #expect(error.message.contains(missing), "\(error)")
            #expect(error.openSSLErrors.joined().contains("No such file or directory"), "\(error)")
        }
    }

    @Test("garbage PEM in each file is refused, naming the path, never echoing the content")
    func garbageFiles() throws {
        let fixture = try TLSFixture()
        let retail = try fixture.issue("retail")
        let garbage = fixture.directory + "/garbage.pem"
        let marker = "MARKER-51d0"
        try "-----BEGIN CERTIFICATE-----\n\(marker)\n-----END CERTIFICATE-----\n"
            .write(toFile: garbage, atomically: false, encoding: .utf8)
        let configurations = [
            TLSConfiguration(certificateChainPath: garbage, privateKeyPath: retail.key, trustedCAPath: fixture.caPath),
            TLSConfiguration(certificateChainPath: retail.chain, privateKeyPath: garbage, trustedCAPath: fixture.caPath),
            TLSConfiguration(certificateChainPath: retail.chain, privateKeyPath: retail.key, trustedCAPath: garbage),
            TLSConfiguration(
                certificateChainPath: retail.chain, privateKeyPath: retail.key, trustedCAPath: fixture.caPath,
                crlPath: garbage),
        ]
        for configuration in configurations {
            let error = try #require(#expect(throws: CryptoError.self) { try TLSContext(configuration: configuration, role: .server) })
            #expect(error.code == .tlsContextFailed)
            #expect(error.message.contains(garbage), "\(error)")
            #expect(!error.openSSLErrors.isEmpty, "\(error)")
            #expect(!error.description.contains(marker))
        }
    }

    @Test("a CRL file with a malformed CRL after a good one is refused")
    func truncatedCRL() throws {
        let fixture = try TLSFixture()
        try fixture.script(["crl", fixture.caDirectory])
        let retail = try fixture.issue("retail")
        let good = try String(contentsOfFile: fixture.crlPath, encoding: .utf8)
        let crl = fixture.directory + "/two.crl.pem"
        try (good + "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n").write(toFile: crl, atomically: false, encoding: .utf8)
        var configuration = TLSConfiguration(
            certificateChainPath: retail.chain, privateKeyPath: retail.key, trustedCAPath: fixture.caPath, crlPath: crl)
        let error = #expect(throws: CryptoError.self) { try TLSContext(configuration: configuration, role: .server) }
        #expect(error?.message.contains("CRL 2 of \(crl) is malformed") == true, "\(String(describing: error))")
        configuration.crlPath = fixture.crlPath
        _ = try TLSContext(configuration: configuration, role: .server)
    }

    @Test("a context only runs the handshake of its role; the fd is closed on failure")
    func roleMismatch() throws {
        let fixture = try TLSFixture()
        let client = try fixture.context("insurance", .client)
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { Socket.close(fds[1]) }
        let error = #expect(throws: CryptoError.self) { try TLSConnection.accept(socket: fds[0], context: client) }
        #expect(error?.code == .tlsContextFailed)
        #expect(fcntl(fds[0], F_GETFD) == -1)  // closed
    }

    @Test("a silent peer makes the handshake time out")
    func handshakeTimeout() throws {
        let fixture = try TLSFixture()
        let configuration = try fixture.configuration("retail", handshakeTimeout: 0.3)
        let server = try TLSContext(configuration: configuration, role: .server)
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { Socket.close(fds[1]) }
        let started = Date()
        let error = #expect(throws: CryptoError.self) { try TLSConnection.accept(socket: fds[0], context: server) }
        #expect(error?.code == .timedOut)
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test("unit ids follow ^[a-z][a-z0-9_-]{0,62}$")
    func unitSyntax() {
        for valid in ["retail", "a", "unit_2-b", "a" + String(repeating: "b", count: 62)] {
            #expect(PeerIdentity.isValidUnit(valid), "\(valid)")
        }
        for invalid in ["", "Retail", "2retail", "-x", "re tail", "ré", "a" + String(repeating: "b", count: 63), "x/y"] {
            #expect(!PeerIdentity.isValidUnit(invalid), "\(invalid)")
        }
    }
}
