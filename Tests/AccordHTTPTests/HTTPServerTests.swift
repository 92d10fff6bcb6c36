import AccordCrypto
import AccordHTTP
import Foundation
import Testing

@Suite("HTTP server over TLS")
struct HTTPServerTests {
    @Test("curl: keep-alive over one connection, with and without a client certificate")
    func keepAliveAndClientCertificates() throws {
        let server = try TestServer()
        let anonymous = try server.curl(["-w", "\\n%{num_connects}\\n", "\(server.url)/echo", "\(server.url)/echo?x=1"])
        #expect(anonymous.status == 0, "\(anonymous.stderr)")
        let lines = anonymous.stdout.split(separator: "\n")
        // Two answers, and curl opened one connection for both (the second reports 0 new connects).
        #expect(lines.count == 4, "\(anonymous.stdout)")
        guard lines.count == 4 else { return }
        #expect(lines[1] == "1" && lines[3] == "0")
        let first = try JSON.parse(Array(lines[0].utf8))
        #expect(first["client"] == .null)
        #expect(first["path"] == "/echo")
        let second = try JSON.parse(Array(lines[2].utf8))
        #expect(second["connection"] == first["connection"])
        let unit = try server.curl(server.fixture.clientCertificateArguments + ["\(server.url)/echo"])
        #expect(try JSON.parse(Array(unit.stdout.utf8))["client"] == "insurance")
    }

    @Test("HEAD, 404, 405 with Allow, a generic 500, and the headers every response carries")
    func statuses() throws {
        let server = try TestServer()
        let head = try server.curl(["-I", "\(server.url)/echo"])
        #expect(head.stdout.hasPrefix("HTTP/1.1 200 OK"), "\(head.stdout)")
        #expect(head.stdout.lowercased().contains("content-length: "))
        #expect(head.stdout.lowercased().contains("date: "))
        let missing = try server.curl(["-i", "\(server.url)/nothing"])
        #expect(missing.stdout.hasPrefix("HTTP/1.1 404"))
        #expect(missing.stdout.hasSuffix(#"{"error":{"message":"no route for /nothing"}}"#))
        let wrong = try server.curl(["-i", "-X", "DELETE", "\(server.url)/echo"])
        #expect(wrong.stdout.hasPrefix("HTTP/1.1 405"))
        #expect(wrong.stdout.contains("Allow: GET, HEAD, POST"))
        let failed = try server.curl(["-i", "\(server.url)/fail"])
        #expect(failed.stdout.hasPrefix("HTTP/1.1 500"))
        #expect(failed.stdout.hasSuffix(#"{"error":{"message":"internal error"}}"#))
        #expect(server.events.value.contains { $0.contains("failed(") && $0.contains("Unexpected") })
    }

    @Test("a body within the limit arrives (also after 100-continue); a larger one is refused 413 before it is sent")
    func bodies() throws {
        let server = try TestServer()
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
        let started = Date()
        let accepted = try server.curl(["-H", "Expect: 100-continue", "--data-binary", "@-", "\(server.url)/echo"], stdin: body)
        #expect(try JSON.parse(Array(accepted.stdout.utf8))["bodyBytes"] == 4096)
        // curl waits up to a second for 100 Continue: it came at once.
        #expect(Date().timeIntervalSince(started) < 0.9)
        let tooLarge = try server.curl(["-i", "-H", "Expect: 100-continue", "--data-binary", "@-", "\(server.url)/echo"], stdin: body + [1])
        #expect(tooLarge.stdout.hasPrefix("HTTP/1.1 413"), "\(tooLarge.stdout) \(tooLarge.stderr)")
        #expect(tooLarge.stdout.contains("limit maxBodyBytes"))
        #expect(tooLarge.stdout.contains("Connection: close"))
        // Without Expect the body is sent at once; the answer still arrives.
        let pushed = try server.curl(["-i", "-H", "Expect:", "--data-binary", "@-", "\(server.url)/echo"], stdin: body + [1])
        #expect(pushed.stdout.hasPrefix("HTTP/1.1 413"), "\(pushed.stdout) \(pushed.stderr)")
    }

    @Test("oversized headers are refused 431 and a long target 414, naming the limit")
    func oversizedHead() throws {
        let server = try TestServer()
        let big = try server.curl(["-i", "-H", "X-Big: " + String(repeating: "a", count: 20_000), "\(server.url)/echo"])
        #expect(big.stdout.hasPrefix("HTTP/1.1 431"), "\(big.stdout) \(big.stderr)")
        #expect(big.stdout.contains("limit maxHeaderBytes"))
        let long = try server.curl(["-i", "\(server.url)/echo?" + String(repeating: "a", count: 9000)])
        #expect(long.stdout.hasPrefix("HTTP/1.1 414"), "\(long.stdout)")
        #expect(long.stdout.contains("limit maxRequestLineBytes"))
    }

    @Test("a client sending its headers a byte at a time is answered 408 and dropped at the header deadline")
    func slowHeaders() throws {
        let server = try TestServer()
        let connection = try server.connect()
        defer { connection.close() }
        let started = Date()
        try connection.write(Array("GET /echo HTTP/1.1\r\n".utf8))
        var refused: RawResponse?
        for byte in "Host: a\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n\r\n".utf8 {
            guard (try? connection.write([byte])) != nil else { break }
            Thread.sleep(forTimeInterval: 0.1)
            if Date().timeIntervalSince(started) > 1.2 { break }
        }
        refused = try? connection.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        #expect(refused?.status == 408)
        #expect(refused?.body.contains("limit headerTimeout") == true)
        #expect(elapsed < 2.0, "dropped after \(elapsed) s")
        #expect(connection.closes(within: 1))
    }

    @Test("a body trickling in is refused 408 at the whole-request deadline")
    func slowBody() throws {
        let server = try TestServer()
        let connection = try server.connect()
        defer { connection.close() }
        let started = Date()
        try connection.write(Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n".utf8))
        while Date().timeIntervalSince(started) < 2.3 {
            guard (try? connection.write([UInt8(ascii: "x")])) != nil else { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let refused = try? connection.readResponse()
        #expect(refused?.status == 408)
        #expect(refused?.body.contains("limit requestTimeout") == true)
        #expect(Date().timeIntervalSince(started) < 3.5)
    }

    @Test("an idle keep-alive connection is closed after the idle timeout; one answering a request is not")
    func idleTimeout() throws {
        let server = try TestServer { $0.idleTimeout = 0.3 }
        let connection = try server.connect()
        defer { connection.close() }
        try connection.write(Array("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(try connection.readResponse()?.status == 200)
        let started = Date()
        #expect(connection.closes(within: 2))
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test("connections beyond maxConnections are closed at once; a freed slot is used again")
    func connectionCap() throws {
        let server = try TestServer { $0.idleTimeout = 10 }
        var open: [TLSConnection] = []
        for _ in 0..<4 {
            let connection = try server.connect()
            try connection.write(Array("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            #expect(try connection.readResponse()?.status == 200)
            open.append(connection)
        }
        #expect(server.server.connectionCount == 4)
        // The fifth: the server closes the socket before the handshake.
        let refused = #expect(throws: CryptoError.self) { _ = try server.connect() }
        #expect(refused?.code == .handshakeFailed || refused?.code == .connectionClosed, "\(String(describing: refused))")
        #expect(server.events.value.contains { $0.contains("refusedConnection(open: 4, limit: 4)") })
        open.removeLast().close()
        let deadline = Date().addingTimeInterval(2)
        while server.server.connectionCount >= 4 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let again = try server.connect()
        try again.write(Array("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(try again.readResponse()?.status == 200)
        for connection in open + [again] { connection.close() }
    }

    @Test("pipelined requests are answered in order on one connection; Connection: close ends it")
    func pipelining() throws {
        let server = try TestServer()
        let connection = try server.connect()
        defer { connection.close() }
        try connection.write(Array(("GET /echo?1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").utf8))
        let first = try #require(try connection.readResponse())
        let second = try #require(try connection.readResponse())
        let third = try #require(try connection.readResponse())
        #expect(first.status == 200 && !first.head.contains("Connection: close"))
        #expect(try JSON.parse(Array(second.body.utf8))["bodyBytes"] == 3)
        #expect(third.head.contains("Connection: close"))
        #expect(connection.closes(within: 1))
    }

    @Test("stop closes idle connections and returns")
    func stop() throws {
        let server = try TestServer { $0.idleTimeout = 30 }
        let connection = try server.connect()
        defer { connection.close() }
        try connection.write(Array("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(try connection.readResponse()?.status == 200)
        let started = Date()
        server.server.stop(timeout: 2)
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(connection.closes(within: 1))
    }
}

