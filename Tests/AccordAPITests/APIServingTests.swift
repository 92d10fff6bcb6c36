import AccordAPI
import AccordCrypto
import AccordHTTP
import AccordModel
import AccordNode
import AccordStore
import Foundation
import Testing

@Suite("HTTPS API: serving next to sync")
struct APIServingTests {
    /// A raw TLS connection with retail's certificate, for clients curl cannot play.
    func rawConnection(_ fixture: APIFixture) throws -> TLSConnection {
        let tls = fixture.federation.path("retail") + "/tls/"
        let context = try TLSContext(configuration: TLSConfiguration(
            certificateChainPath: tls + "retail.pem", privateKeyPath: tls + "retail.key", trustedCAPath: tls + "ca.pem"), role: .client)
        let fd = try Socket.connect(host: "127.0.0.1", port: fixture.port, timeout: 5)
        Socket.setTimeouts(fd, read: 5, write: 5)
        return try TLSConnection.connect(socket: fd, context: context, serverUnit: "retail")
    }

    @Test("oversized bodies and headers are refused with the limit named; only importers may send large imports")
    func limits() throws {
        let fixture = try APIFixture()
        let big = #"{"values":{"given_name":""# + String(repeating: "a", count: 70 << 10) + #""}}"#
        let tooLarge = try fixture.call("PATCH", "/v1/records/retail/C-1", as: fixture.token(.admin), json: big)
        #expect(tooLarge.status == 413 && tooLarge.message.contains("limit maxBodyBytes"), "\(tooLarge.body)")
        let rows = "id,given_name\n" + (0..<8000).map { "B-\($0),Name \($0)\n" }.joined()
        #expect(rows.utf8.count > 64 << 10)
        let imported = try fixture.call("POST", "/v1/import", as: fixture.token(.admin), body: Array(rows.utf8), contentType: "text/csv")
        #expect(imported.status == 200 && imported.json?["recordsWritten"] == 8000, "\(imported.body)")
        // A steward may not import: the large limit is not granted, so the body is refused before it is read.
        let steward = try fixture.call("POST", "/v1/import", as: fixture.token(.steward), body: Array(rows.utf8), contentType: "text/csv")
        #expect(steward.status == 413)
        let headers = try fixture.call("GET", "/v1/whoami", as: fixture.token(.viewer), extra: ["-H", "X-Padding: " + String(repeating: "p", count: 20_000)])
        #expect(headers.status == 431 && headers.message.contains("limit maxHeaderBytes"))
        try fixture.checkAgainstOpenAPI()
    }

    @Test("a client sending its body at 1 byte/s is answered 408 and dropped at the request deadline")
    func slowClient() throws {
        let fixture = try APIFixture { $0.http.requestTimeout = 1; $0.http.headerTimeout = 1 }
        let started = Date()
        let body = #"{"values":{"given_name":"a slow client sends this body one byte per second"}}"#
        let reply = try fixture.call("PATCH", "/v1/records/retail/C-1", as: fixture.token(.admin), json: body, extra: ["--limit-rate", "1"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 4, "dropped after \(elapsed) s")
        // curl shows the 408 if it read it before the close, else fails sending; either way the server dropped it.
        #expect(reply.status == 408 || reply.status == 0, "\(reply.status) \(reply.body)")
        // Headers a byte at a time: the header deadline.
        let connection = try rawConnection(fixture)
        defer { connection.close() }
        let headerStart = Date()
        for byte in "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n".utf8 {
            guard (try? connection.write([byte])) != nil, Date().timeIntervalSince(headerStart) < 1.5 else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = (try? buffer.withUnsafeMutableBytes { try connection.read(into: $0) }) ?? 0
        let answer = String(decoding: buffer[..<count], as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 408") && answer.contains("limit headerTimeout"), "\(answer)")
        #expect(Date().timeIntervalSince(headerStart) < 2.5)
    }

    @Test("connections beyond the cap are refused; a freed slot serves again")
    func connectionCap() throws {
        let fixture = try APIFixture { $0.http.maxConnections = 2; $0.http.idleTimeout = 30 }
        var held: [TLSConnection] = []
        for _ in 0..<2 {
            let connection = try rawConnection(fixture)
            try connection.write(Array("GET /v1/whoami HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            held.append(connection)
        }
        let refused = try fixture.call("GET", "/v1/whoami", as: fixture.token(.viewer))
        #expect(refused.status == 0, "a third connection was served: \(refused.body)")
        #expect(fixture.recorder.all.contains { $0.contains("refused an API connection") && $0.contains("maxConnections 2") })
        held.removeFirst().close()
        let deadline = Date().addingTimeInterval(3)
        var served = try fixture.call("GET", "/v1/whoami", as: fixture.token(.viewer))
        while served.status != 200 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            served = try fixture.call("GET", "/v1/whoami", as: fixture.token(.viewer))
        }
        #expect(served.status == 200)
        for connection in held { connection.close() }
    }

    @Test("reads run on their own connections: they do not wait while the engine's writer is busy; writes do")
    func readsDoNotQueueBehindTheWriter() throws {
        let fixture = try APIFixture()
        _ = try fixture.call("GET", "/v1/records/retail/C-1", as: fixture.token(.steward))  // open a reader
        let engine = fixture.retail.engine
        let holding = Locked(false)
        let released = Locked(Date.distantFuture)
        let writer = Thread {
            engine.withNode { _ in
                holding.value = true
                Thread.sleep(forTimeInterval: 1.5)
                released.value = Date()
            }
        }
        writer.start()
        while !holding.value { Thread.sleep(forTimeInterval: 0.005) }
        let started = Date()
        let read = try fixture.call("GET", "/v1/records/retail/C-1", as: fixture.token(.steward))
        let readDone = Date()
        #expect(read.status == 200)
        #expect(readDone.timeIntervalSince(started) < 1.0, "the read took \(readDone.timeIntervalSince(started)) s while the writer was busy")
        #expect(readDone < released.value)
        let write = try fixture.call("PATCH", "/v1/records/retail/C-1", as: fixture.token(.steward), json: #"{"values":{"given_name":"Ada L."}}"#)
        #expect(write.status == 200)
        #expect(Date() >= released.value, "the write did not wait for the engine")
    }

    @Test("a write through the API reaches the peer at once; status shows the peer, its lag and the policy version")
    func writesReachPeers() throws {
        let fixture = try APIFixture(withPeer: true)
        let admin = fixture.token(.admin)
        let deadline = Date().addingTimeInterval(10)
        func peer() throws -> JSON? { try fixture.call("GET", "/v1/status", as: admin).json?["peers"]?.arrayValue?.first }
        while try peer()?["connected"] != true && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try fixture.call("PATCH", "/v1/records/retail/P-1", as: admin, json: #"{"values":{"given_name":"Pushed"}}"#).status == 200)
        let insurance = try #require(fixture.federation.running["insurance"])
        let key = RecordKey(unchecked: UnitID(unchecked: "retail"), localId: "P-1")
        while try insurance.engine.withNode({ try $0.store.recordStates(key) }).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try !insurance.engine.withNode({ try $0.store.recordStates(key) }).isEmpty, "the write did not reach insurance")
        let status = try #require(try fixture.call("GET", "/v1/status", as: fixture.token(.viewer)).json)
        #expect(status["policyVersion"] == 1)
        let peerStatus = try #require(status["peers"]?.arrayValue?.first)
        #expect(peerStatus["unit"] == "insurance" && peerStatus["connected"] == true)
        #expect(peerStatus["lastContact"]?.stringValue?.hasSuffix("Z") == true)
        #expect(peerStatus["lag"]?.arrayValue?.isEmpty == false)
        #expect(peerStatus["policyVersion"] == 1, "the policy version insurance announced in its hello")
        let members = status["members"]?.arrayValue ?? []
        #expect(members.first { $0["unit"] == "insurance" }?["peer"] == true)
        #expect(members.first { $0["unit"] == "retail" }?["self"] == true)
        let digests = try fixture.call("GET", "/v1/digests", as: fixture.token(.viewer))
        #expect(digests.json?["digests"]?["identity"]?.stringValue?.count == 64)
        #expect(try fixture.call("GET", "/v1/rejected", as: fixture.token(.viewer)).json?["rejected"] == [])
        try fixture.checkAgainstOpenAPI()
    }
}
