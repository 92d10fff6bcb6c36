import Foundation
import Testing

@Suite("ops/federation-ca.sh")
struct TLSFederationCAScriptTests {
    @Test("keys are 0600 and never replaced; reruns keep CA and certificates")
    func idempotentAndSafe() throws {
        let fixture = try TLSFixture()
        let paths = try fixture.issue("retail")
        let caKey = fixture.caDirectory + "/ca.key"
        let before = try [caKey, fixture.caPath, paths.key, paths.chain].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        try fixture.script(["init-ca", fixture.caDirectory])
        try fixture.issue("retail")
        let after = try [caKey, fixture.caPath, paths.key, paths.chain].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(before == after)
        for key in [caKey, paths.key] {
            var status = stat()
            #expect(stat(key, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o600, "\(key)")
        }
        let ca = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-text", "-in", fixture.caPath]).output
        #expect(ca.contains("X509v3 Basic Constraints: critical") && ca.contains("CA:TRUE"))
        #expect(ca.contains("Certificate Sign, CRL Sign"))
        let leaf = try runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-text", "-in", paths.chain]).output
        #expect(leaf.contains("URI:accord://unit/retail, DNS:localhost, IP Address:127.0.0.1"))
        #expect(leaf.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
    }

    @Test("bad unit ids and bad usage are refused with a message")
    func refusesBadInput() throws {
        let fixture = try TLSFixture()
        let script = repositoryRoot + "/ops/federation-ca.sh"
        let badUnit = try runProcess("/bin/bash", [script, "issue", fixture.caDirectory, "Retail"])
        #expect(badUnit.status == 1)
        #expect(badUnit.output.contains("must match"))
        let halfValidity = try runProcess("/bin/bash", [script, "issue", fixture.caDirectory, "x", "--start", "20200101000000Z"])
        #expect(halfValidity.status == 1)
        let usage = try runProcess("/bin/bash", [script, "frobnicate"])
        #expect(usage.status == 64)
        let noCA = try runProcess("/bin/bash", [script, "issue", fixture.directory, "retail"])
        #expect(noCA.status == 1)
        #expect(noCA.output.contains("no CA"))
    }
}
