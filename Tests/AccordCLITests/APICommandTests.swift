import Foundation
import Testing

@Suite("accord token and accord serve --api-listen")
struct APICommandTests {
    @Test("token create prints the secret once; list shows no secret; revoke by name; usage errors exit 64")
    func tokens() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            let created = try AccordBinary.run(["token", "create", "--role", "steward", "--name", "alice", "--node", node])
            #expect(created.status == 0, "\(created.stderr)")
            let secret = try #require(created.stdout.split(separator: "\n").last.map(String.init))
            #expect(secret.hasPrefix("accord_") && secret.count == 50)
            #expect(created.stdout.contains("name alice, role steward"))
            let json = try AccordBinary.run(["token", "create", "--role", "viewer", "--json", "--node", node])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String])
            #expect(object["role"] == "viewer" && object["token"]?.hasPrefix("accord_") == true && object["name"]?.hasPrefix("token-") == true)

            let list = try AccordBinary.run(["token", "list", "--node", node])
            #expect(list.stdout.contains("alice") && list.stdout.contains("steward"))
            #expect(!list.stdout.contains(secret) && !list.stdout.contains(object["token"]!))
            let duplicate = try AccordBinary.run(["token", "create", "--role", "admin", "--name", "alice", "--node", node])
            #expect(duplicate.status == 1 && duplicate.stderr.contains("named alice already"))

            let revoked = try AccordBinary.run(["token", "revoke", "alice", "--node", node])
            #expect(revoked.status == 0 && revoked.stdout.contains("Revoked token"))
            let listed = try AccordBinary.run(["token", "list", "--json", "--node", node])
            let tokens = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: String]])
            #expect(tokens.first { $0["name"] == "alice" }?["revokedAt"] != nil)
            #expect(try AccordBinary.run(["token", "revoke", "nobody", "--node", node]).status == 1)
            let audit = try AccordBinary.run(["audit", "--action", "token.create", "--node", node])
            #expect(audit.stdout.contains("name alice, role steward"))

            #expect(try AccordBinary.run(["token", "create", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["token", "create", "--role", "root", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["token", "create", "--role", "admin", "--name", "two words", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["token", "frobnicate", "--node", node]).status == 64)
            #expect(try AccordBinary.run(["token", "--help"]).stdout.contains("accord token create --role"))
        }
    }

    @Test("accord serve --api-listen serves the API with the node's certificate; SIGTERM stops it cleanly")
    func serveWithAPI() throws {
        try withTemporaryDirectory { directory in
            let federation = try Federation(directory: directory, units: ["retail"])
            let node = federation.path("retail")
            let created = try AccordBinary.run(["token", "create", "--role", "steward", "--json", "--node", node])
            let secret = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String])?["token"])
            #expect(try federation.accord("retail", ["record", "put", "C-1", "given_name=Ada"]).status == 0)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: AccordBinary.path)
            process.arguments = ["serve", "--node", node, "--listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
            var text = ""
            let deadline = Date().addingTimeInterval(15)
            while !text.contains("API on") && Date() < deadline && process.isRunning {
                text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            }
            let line = try #require(text.split(separator: "\n").first { $0.contains("API on https://") }, "\(text)")
            let port = try #require(line.split(separator: ":").last.map(String.init))
            let url = "https://127.0.0.1:\(port)"
            let curl = ["curl", "-sS", "--max-time", "10", "--cacert", node + "/tls/ca.pem"]
            let read = try runCurl(curl + ["-H", "Authorization: Bearer \(secret)", url + "/v1/records/retail/C-1"])
            #expect(read.contains("\"given_name\"") && read.contains("\"Ada\""), "\(read)")
            let system = try runCurl(curl + ["--cert", node + "/tls/retail.pem", "--key", node + "/tls/retail.key", url + "/v1/whoami"])
            #expect(system.contains("\"unitSystem\""), "\(system)")
            let anonymous = try runCurl(curl + [url + "/v1/status"])
            #expect(anonymous.contains("authenticate with a bearer token"))
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let audit = try federation.accord("retail", ["audit", "--action", "api.records.read", "--json"])
            #expect(audit.stdout.contains("retail/C-1"), "the access log was not written before exit: \(audit.stdout)")
        }
    }

    @Test("a malformed --api-listen is a usage error")
    func usage() throws {
        try withTemporaryDirectory { directory in
            let node = directory + "/retail"
            #expect(try AccordBinary.run(["init", "--unit", "retail", "--node", node]).status == 0)
            let bad = try AccordBinary.run(["serve", "--node", node, "--listen", "127.0.0.1:0", "--api-listen", "nowhere"])
            #expect(bad.status == 64 && bad.stderr.contains("--api-listen must look like"))
        }
    }

    func runCurl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
