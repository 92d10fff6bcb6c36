import AccordCrypto
import AccordHTTP
import Dispatch
import Foundation
import Synchronization
import Testing

/// Result of a finished child process.
struct ProcessOutput {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a program with a time limit (terminated when it passes), capturing stdout and stderr.
func runProcess(_ arguments: [String], stdin: [UInt8]? = nil, timeout: Double = 20) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    if let stdin {
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
    }
    let errors = Locked(Data())
    let reader = Thread { errors.value = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    if finished.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        finished.wait()
    }
    while reader.isExecuting { Thread.sleep(forTimeInterval: 0.001) }
    return ProcessOutput(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
                         stderr: String(decoding: errors.value, as: UTF8.self))
}

/// A value shared between a test and its threads.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
}

/// A CA made in memory, the server's certificate (unit retail) and a client certificate
/// (unit insurance), written to a temporary directory removed at deinit.
final class CertificateFixture {
    let directory: String
    var caPath: String { directory + "/ca.pem" }

    init() throws {
        signal(SIGPIPE, SIG_IGN)
        directory = NSTemporaryDirectory() + "accord-http-test-" + UUID().uuidString
        let authority = try CertificateAuthority(name: "HTTP test CA")
        try authority.writeUnitFiles(unit: "retail", to: directory)
        try authority.writeUnitFiles(unit: "insurance", to: directory + "/client")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The server's configuration: client certificates optional.
    func serverContext() throws -> TLSContext {
        var configuration = TLSConfiguration(
            certificateChainPath: directory + "/retail.pem", privateKeyPath: directory + "/retail.key", trustedCAPath: caPath,
            handshakeTimeout: 2)
        configuration.clientCertificates = .optional
        return try TLSContext(configuration: configuration, role: .server)
    }

    /// A client presenting the insurance certificate.
    func clientContext() throws -> TLSContext {
        try TLSContext(configuration: TLSConfiguration(
            certificateChainPath: directory + "/client/insurance.pem", privateKeyPath: directory + "/client/insurance.key",
            trustedCAPath: caPath), role: .client)
    }

    /// curl arguments for a client certificate.
    var clientCertificateArguments: [String] { ["--cert", directory + "/client/insurance.pem", "--key", directory + "/client/insurance.key"] }
}

/// A test responder: `/echo` (GET, POST) answers what it saw; `/fail` throws an error without a status.
struct EchoResponder: HTTPResponder {
    struct Unexpected: Error {}

    let router: Router<String> = {
        var router = Router<String>()
        router.add(.get, "/echo", "echo")
        router.add(.post, "/echo", "echo")
        router.add(.get, "/fail", "fail")
        router.add(.get, "/slow", "slow")
        return router
    }()

    func respond(to request: HTTPRequest, client: HTTPClient) throws -> HTTPResponse {
        switch try router.match(request.method, path: request.path) {
        case .notFound:
            throw HTTPError(.notFound, "no route for \(request.path)")
        case .methodNotAllowed(let allowed):
            throw HTTPError.methodNotAllowed(request.method.rawValue, allowed: allowed)
        case .matched(let route, _):
            switch route.target {
            case "fail": throw Unexpected()
            case "slow": Thread.sleep(forTimeInterval: 0.5)
            default: break
            }
            return .json([
                "method": .string(request.method.rawValue), "path": .string(request.path), "bodyBytes": .int(request.body.count),
                "client": .string(client.certificate?.unit), "connection": .int(client.connection),
            ])
        }
    }
}

/// A running server for one test, stopped at deinit.
final class TestServer {
    let fixture: CertificateFixture
    let server: HTTPServer
    let port: UInt16
    let events = Locked<[String]>([])

    init(_ change: (inout HTTPServer.Settings) -> Void = { _ in }) throws {
        fixture = try CertificateFixture()
        var settings = HTTPServer.Settings()
        settings.headerTimeout = 1
        settings.requestTimeout = 2
        settings.idleTimeout = 1
        settings.maxConnections = 4
        settings.limits.maxBodyBytes = 4096
        change(&settings)
        let events = self.events
        server = HTTPServer(context: try fixture.serverContext(), settings: settings, responder: EchoResponder()) { event in
            events.value.append("\(event)")
        }
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    deinit { server.stop(timeout: 2) }

    var url: String { "https://127.0.0.1:\(port)" }

    /// Runs curl against the server (CA bundle given, errors shown, 10 s at most).
    func curl(_ arguments: [String], stdin: [UInt8]? = nil) throws -> ProcessOutput {
        try runProcess(["curl", "-sS", "--max-time", "10", "--cacert", fixture.caPath] + arguments, stdin: stdin)
    }

    /// A raw TLS client with the insurance certificate.
    func connect() throws -> TLSConnection {
        let fd = try Socket.connect(host: "127.0.0.1", port: port, timeout: 5)
        Socket.setTimeouts(fd, read: 5, write: 5)
        return try TLSConnection.connect(socket: fd, context: try fixture.clientContext(), serverUnit: "retail")
    }
}

/// A response read from a raw connection.
struct RawResponse {
    let status: Int
    let head: String
    let body: String
}

extension TLSConnection {
    /// Reads one response (head, then Content-Length bytes); `nil` when the server closed first.
    func readResponse() throws -> RawResponse? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        func fill() throws -> Bool {
            let count = try buffer.withUnsafeMutableBytes { try read(into: $0) }
            bytes += buffer[..<count]
            return count > 0
        }
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            if let range = bytes.firstRange(of: separator) { headEnd = range.upperBound; break }
            guard try fill() else { return nil }
        }
        let head = String(decoding: bytes[..<headEnd!], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while bytes.count < headEnd! + length { guard try fill() else { return nil } }
        let status = Int(head.split(separator: " ")[1]) ?? 0
        return RawResponse(status: status, head: head, body: String(decoding: bytes[headEnd!..<headEnd! + length], as: UTF8.self))
    }

    /// Whether the server closes the connection within `seconds` (reads return end of stream or fail).
    func closes(within seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 1024)
        while Date() < until {
            do {
                let count = try buffer.withUnsafeMutableBytes { try read(into: $0) }
                if count == 0 { return true }
            } catch let error as CryptoError where error.code == .timedOut {
                continue
            } catch {
                return true
            }
        }
        return false
    }
}
