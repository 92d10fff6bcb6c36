import AccordCrypto
import Foundation
import Testing

@Suite("CertificateAuthority (in-process CA)")
struct CertificateAuthorityTests {
    /// A TLS configuration for `unit`'s files written by ``CertificateAuthority/writeUnitFiles(unit:to:days:)``.
    func configuration(_ directory: String, _ unit: String, trusting caPath: String? = nil) -> TLSConfiguration {
        TLSConfiguration(
            certificateChainPath: "\(directory)/\(unit).pem", privateKeyPath: "\(directory)/\(unit).key",
            trustedCAPath: caPath ?? "\(directory)/ca.pem", handshakeTimeout: 5)
    }

    func mode(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o777 : nil
    }

    /// The `X509v3 extensions` block of `openssl x509 -text` output, with key identifiers masked.
    func extensionLines(_ text: String) -> [String] {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(of: "X509v3 extensions:") else { return [] }
        let block = lines[(start + 1)...].prefix { !$0.hasPrefix("Signature Algorithm") }
        return block.map { line in
            line.allSatisfy({ $0.isHexDigit || $0 == ":" }) && line.count > 20 ? "<key id>" : line
        }
    }

    @Test("issued certificates make a mutual TLS 1.3 handshake; both sides see the unit from the SAN")
    func mutualHandshake() throws {
        signal(SIGPIPE, SIG_IGN)
        try withTemporaryDirectory { directory in
            let ca = try CertificateAuthority(name: "Demo Federation CA")
            try ca.writeUnitFiles(unit: "retail", to: directory + "/retail")
            try ca.writeUnitFiles(unit: "insurance", to: directory + "/insurance")
            let serverContext = try TLSContext(configuration: configuration(directory + "/retail", "retail"), role: .server)
            let clientContext = try TLSContext(
                configuration: configuration(directory + "/insurance", "insurance"), role: .client)
            let seen = Locked<PeerIdentity?>(nil)
            let server = try OneShotServer(context: serverContext) { connection in
                seen.value = connection.peer
                let received = try connection.readExactly(4)
                guard received == Array("ping".utf8) else { throw FixtureError(message: "server read other bytes") }
                try connection.write(Array("pong".utf8))
            }
            let client = try connectClient(port: server.port, context: clientContext, serverUnit: "retail")
            defer { client.close() }
            #expect(client.peer?.unit == "retail")
            #expect(client.peer?.subject.contains("CN=retail") == true)
            #expect(client.protocolVersion == "TLSv1.3")
            try client.write(Array("ping".utf8))
            #expect(try client.readExactly(4) == Array("pong".utf8))
            try server.finish().get()
            let peer = try #require(seen.value)
            #expect(peer.unit == "insurance")
            #expect(peer.subject.contains("OU=insurance"))
        }
    }

    @Test("a certificate from another in-memory CA is refused by a server trusting only the first")
    func otherCARefused() throws {
        signal(SIGPIPE, SIG_IGN)
        try withTemporaryDirectory { directory in
            let ca = try CertificateAuthority(name: "Demo Federation CA")
            let rogue = try CertificateAuthority(name: "Demo Federation CA")
            try ca.writeUnitFiles(unit: "retail", to: directory + "/retail")
            try rogue.writeUnitFiles(unit: "insurance", to: directory + "/rogue")
            let serverContext = try TLSContext(configuration: configuration(directory + "/retail", "retail"), role: .server)
            // The rogue client trusts the real CA, so only the server's check can refuse it.
            let clientContext = try TLSContext(
                configuration: configuration(directory + "/rogue", "insurance", trusting: directory + "/retail/ca.pem"),
                role: .client)
            let server = try OneShotServer(context: serverContext) { connection in
                _ = try connection.readExactly(1)
            }
            var clientError: CryptoError?
            do {
                let client = try connectClient(port: server.port, context: clientContext)
                defer { client.close() }
                try? client.write([1])
                _ = try client.readExactly(1)
            } catch let error as CryptoError {
                clientError = error
            }
            #expect(clientError != nil)
            let serverError = try #require(try server.failure())
            #expect(serverError.code == .peerRefused, "\(serverError)")
            // Same subject name as the trusted CA, different key: no trusted issuer is found.
            #expect(serverError.description.contains("verification failed"), "\(serverError)")
            #expect(serverError.description.contains("unable to get local issuer certificate"), "\(serverError)")
        }
    }

    @Test("openssl x509 shows the extensions the federation script makes")
    func extensionsMatchScript() throws {
        try withTemporaryDirectory { directory in
            let ca = try CertificateAuthority(name: "Demo Federation CA", days: 30)
            let issued = try ca.issue(unit: "retail", days: 10)
            #expect(issued.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            #expect(issued.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
            try issued.certificatePEM.write(toFile: directory + "/leaf.pem", atomically: true, encoding: .utf8)
            try ca.certificatePEM().write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
            try issued.privateKeyPEM.write(toFile: directory + "/leaf.key", atomically: true, encoding: .utf8)

            let leaf = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-text", "-in", directory + "/leaf.pem"])
            #expect(leaf.status == 0)
            let text = leaf.output
            #expect(text.contains("Version: 3 (0x2)"))
            #expect(text.contains("URI:accord://unit/retail, DNS:localhost, IP Address:127.0.0.1"))
            #expect(text.contains("X509v3 Basic Constraints: critical") && text.contains("CA:FALSE"))
            #expect(text.contains("X509v3 Key Usage: critical") && text.contains("Digital Signature"))
            #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
            #expect(text.contains("X509v3 Subject Key Identifier") && text.contains("X509v3 Authority Key Identifier"))
            #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
            #expect(text.contains("ASN1 OID: prime256v1"))
            #expect(text.contains("Subject: O = Accord, OU = retail, CN = retail"))
            #expect(text.contains("Issuer: O = Accord, CN = Demo Federation CA"))

            let caText = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-text", "-in", directory + "/ca.pem"])
                .output
            #expect(caText.contains("X509v3 Basic Constraints: critical") && caText.contains("CA:TRUE"))
            #expect(caText.contains("Certificate Sign, CRL Sign"))
            #expect(caText.contains("Subject: O = Accord, CN = Demo Federation CA"))

            // Same extensions, in the same order, as ops/federation-ca.sh makes (key ids aside).
            let fixture = try TLSFixture()
            let scripted = try fixture.issue("retail")
            let scriptLeaf = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-text", "-in", scripted.chain])
            let scriptCA = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-text", "-in", fixture.caPath])
            #expect(extensionLines(text) == extensionLines(scriptLeaf.output))
            #expect(extensionLines(caText) == extensionLines(scriptCA.output))
            #expect(extensionLines(text).contains("X509v3 Subject Alternative Name:"))

            // The chain verifies, and the key belongs to the certificate.
            let verify = try runProcess(
                "/usr/bin/env", ["openssl", "verify", "-CAfile", directory + "/ca.pem", directory + "/leaf.pem"])
            #expect(verify.status == 0, "\(verify.output)")
            let keyPublic = try runProcess("/usr/bin/env", ["openssl", "pkey", "-pubout", "-in", directory + "/leaf.key"])
            let certPublic = try runProcess(
                "/usr/bin/env", ["openssl", "x509", "-noout", "-pubkey", "-in", directory + "/leaf.pem"])
            #expect(keyPublic.status == 0 && keyPublic.output == certPublic.output)

            // Serials are random, positive and at most 159 bits (20 bytes, top bit clear).
            let serials = try (0..<2).map { _ -> String in
                let pem = try ca.issue(unit: "retail").certificatePEM
                try pem.write(toFile: directory + "/again.pem", atomically: true, encoding: .utf8)
                let out = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-serial", "-in", directory + "/again.pem"])
                return String(out.output.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("serial=".count))
            }
            #expect(serials[0] != serials[1])
            for serial in serials {
                #expect(serial.count <= 40 && serial.count >= 30, "\(serial)")
                if serial.count == 40 { #expect(Int(String(serial.first!), radix: 16)! < 8, "\(serial)") }
            }
        }
    }

    @Test("writeUnitFiles: modes 0700/0600/0644, never replaces a key, errors name the path")
    func unitFiles() throws {
        try withTemporaryDirectory { directory in
            let ca = try CertificateAuthority(name: "Demo Federation CA")
            let target = directory + "/nodes/retail"
            try ca.writeUnitFiles(unit: "retail", to: target)
            #expect(mode(directory + "/nodes") == 0o700)
            #expect(mode(target) == 0o700)
            #expect(mode(target + "/retail.key") == 0o600)
            #expect(mode(target + "/retail.pem") == 0o644)
            #expect(mode(target + "/ca.pem") == 0o644)
            #expect(try String(contentsOfFile: target + "/ca.pem", encoding: .utf8) == ca.certificatePEM())
            let key = try Data(contentsOf: URL(fileURLWithPath: target + "/retail.key"))
            let certificate = try Data(contentsOf: URL(fileURLWithPath: target + "/retail.pem"))
            // No temporary files are left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["ca.pem", "retail.key", "retail.pem"])

            let again = #expect(throws: CryptoError.self) { try ca.writeUnitFiles(unit: "retail", to: target) }
            #expect(again?.code == .keyFileUnwritable)
            #expect(again?.message.contains(target + "/retail.key") == true, "\(String(describing: again))")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/retail.key")) == key)
            #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/retail.pem")) == certificate)

            // A second unit can share the directory.
            try ca.writeUnitFiles(unit: "insurance", to: target)
            #expect(mode(target + "/insurance.key") == 0o600)

            // A file where the directory should be: the error names that path.
            let blocker = directory + "/blocker"
            #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
            let notDirectory = #expect(throws: CryptoError.self) { try ca.writeUnitFiles(unit: "retail", to: blocker + "/sub") }
            #expect(notDirectory?.code == .fileUnwritable)
            #expect(notDirectory?.message.contains(blocker) == true, "\(String(describing: notDirectory))")
        }
    }

    @Test("bad unit ids, names and validity periods are refused")
    func badArguments() throws {
        let ca = try CertificateAuthority(name: "Demo Federation CA")
        for unit in ["", "Retail", "retail,DNS:evil.example", "1retail", String(repeating: "a", count: 64)] {
            let error = #expect(throws: CryptoError.self) { try ca.issue(unit: unit) }
            #expect(error?.code == .invalidArgument, "\(unit)")
        }
        let others: [() throws -> Void] = [
            { _ = try ca.issue(unit: "retail", days: 0) },
            { _ = try ca.issue(unit: "retail", days: 40_000) },
            { _ = try CertificateAuthority(name: "") },
            { _ = try CertificateAuthority(name: "CA\nX") },
            { try ca.writeUnitFiles(unit: "retail", to: "") },
        ]
        for body in others {
            let error = #expect(throws: CryptoError.self) { try body() }
            #expect(error?.code == .invalidArgument)
        }
    }
}
