import AccordAPI
import AccordCrypto
import AccordHTTP
import AccordModel
import AccordNode
import AccordStore
import Dispatch
import Foundation
import Synchronization
import Testing

/// A value shared between a test and its threads.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
    func update(_ change: (inout Value) -> Void) { mutex.withLock { change(&$0) } }
}

/// One request and its answer, as curl saw it.
struct Exchange: Sendable {
    let method: String
    let path: String
    let status: Int
    let body: String
}

/// A reply to a curl call.
struct Reply {
    let status: Int
    let body: String
    let headers: String

    /// The body as JSON (`nil` when it is not JSON).
    var json: JSON? { try? JSON.parse(Array(body.utf8)) }
    /// The error message of an error body.
    var message: String { json?["error"]?["message"]?.stringValue ?? "" }
}

/// Who calls.
enum Caller {
    /// No credentials.
    case anonymous
    /// A bearer token.
    case token(String)
    /// A client certificate of a unit of the fixture's federation (the node directory's tls files).
    case unit(String)
    /// A certificate for retail from a CA the node does not trust.
    case rogue
}

/// A federation of retail and insurance made in this process (an in-memory CA), retail seeded
/// with a few records and tokens of every role, serving sync and the HTTPS API on 127.0.0.1 with
/// ports the system picks. Every request goes through `curl`; every exchange is kept so the test
/// can check it against `docs/openapi.json`.
final class APIFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    let directory: String
    let federation: LocalFederation
    let retail: LocalFederation.Served
    let api: APIServer
    let port: UInt16
    /// Secrets by role name: `viewer`, `steward`, `admin`.
    let tokens: [String: String]
    let recorder = LogRecorder()
    let exchanges = Locked<[Exchange]>([])

    init(withPeer: Bool = false, _ change: (inout APIServer.Settings) -> Void = { _ in }) throws {
        signal(SIGPIPE, SIG_IGN)
        directory = NSTemporaryDirectory() + "accord-api-test-" + UUID().uuidString
        federation = try LocalFederation(directory: directory, units: ["retail", "insurance"], logger: recorder.logger(minimum: .warning))
        var tokens: [String: String] = [:]
        do {
            let node = try federation.node("retail")
            for role in APIRole.allCases { tokens[role.rawValue] = try node.createToken(role: role, name: role.rawValue).secret }
            try node.write(localId: "C-1", values: ["given_name": .text("Ada"), "email": Value.makeSet(["ada@example.com"])])
            try node.write(localId: "C-2", values: ["given_name": .text("Grace")])
            try node.write(localId: "C/3", values: ["given_name": .text("Slash")])
        }
        self.tokens = tokens
        let rogue = try CertificateAuthority(name: "Rogue CA")
        try rogue.writeUnitFiles(unit: "retail", to: directory + "/rogue")
        if withPeer { try federation.serve("insurance", peers: []) }
        retail = try federation.serve("retail", peers: withPeer ? ["insurance"] : [])
        var settings = APIServer.Settings()
        settings.auditInterval = 0.02
        settings.http.limits.maxBodyBytes = 64 << 10
        settings.maxImportBytes = 1 << 20
        change(&settings)
        let service = retail.service
        api = try APIServer(engine: retail.engine, settings: settings, logger: recorder.logger(minimum: .info), peers: { service.peerStatus() })
        port = try api.start(host: "127.0.0.1", port: 0)
    }

    deinit {
        api.stop()
        federation.stopAll()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { "https://127.0.0.1:\(port)" }
    var caPath: String { federation.path("retail") + "/tls/ca.pem" }

    func token(_ role: APIRole) -> Caller { .token(tokens[role.rawValue]!) }

    /// curl's arguments for a caller.
    func credentials(_ caller: Caller) -> [String] {
        switch caller {
        case .anonymous: return []
        case .token(let secret): return ["-H", "Authorization: Bearer \(secret)"]
        case .unit(let unit):
            let tls = federation.path(unit) + "/tls/"
            return ["--cert", tls + unit + ".pem", "--key", tls + unit + ".key"]
        case .rogue: return ["--cert", directory + "/rogue/retail.pem", "--key", directory + "/rogue/retail.key"]
        }
    }

    /// Calls the API with curl; `json` is sent as `application/json`, `body` with `contentType`.
    @discardableResult
    func call(
        _ method: String, _ path: String, as caller: Caller, json: String? = nil, body: [UInt8]? = nil, contentType: String? = nil,
        extra: [String] = []
    ) throws -> Reply {
        var arguments = ["curl", "-sS", "--max-time", "10", "--cacert", caPath, "-X", method, "-D", directory + "/headers.txt",
                         "-w", "\n%{http_code}"] + credentials(caller) + extra
        var input: [UInt8]?
        if let json {
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
            input = Array(json.utf8)
        } else if let body {
            arguments += ["--data-binary", "@-"] + (contentType.map { ["-H", "Content-Type: \($0)"] } ?? [])
            input = body
        }
        arguments.append(url + path)
        let result = try runProcess(arguments, stdin: input)
        let text = result.stdout
        guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
            return Reply(status: 0, body: result.stderr, headers: "")
        }
        let body = String(text[..<newline])
        let headers = (try? String(contentsOfFile: directory + "/headers.txt", encoding: .utf8)) ?? ""
        if status != 0 { exchanges.update { $0.append(Exchange(method: method, path: path, status: status, body: body)) } }
        return Reply(status: status, body: body, headers: headers)
    }

    /// The id of the profile holding a record, once the server's profile service has stored it.
    func profileID(of record: String) throws -> String {
        let deadline = Date().addingTimeInterval(10)
        repeat {
            let found = try call("GET", "/v1/profiles?record=\(record)", as: token(.admin)).json?["profiles"]?.arrayValue?.first?["id"]?.stringValue
            if let found { return found }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        throw FixtureError("no profile holds \(record)")
    }

    /// Waits until the access log has written what is queued (it writes every 20 ms here).
    func auditEntries(action: String? = nil) throws -> [(op: String, action: String, subject: String?, detail: String?)] {
        Thread.sleep(forTimeInterval: 0.1)
        return try retail.engine.withNode { node in
            try node.store.auditEntries(action: action, limit: 1000).map { ($0.operatorName, $0.action, $0.subject, $0.detail) }
        }
    }

    /// Checks every exchange of the test against docs/openapi.json.
    func checkAgainstOpenAPI(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let document = try OpenAPIDocument(path: Self.root + "/docs/openapi.json")
        for exchange in exchanges.value {
            for problem in document.check(exchange) {
                Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
            }
        }
    }
}

/// Polls until `check` holds, for up to 10 s (the server's profile service works in the background).
func eventually(_ check: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        if try check() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try check()
}

/// Runs a program with a time limit, capturing stdout and stderr; `stdin` is written to its input.
func runProcess(_ arguments: [String], stdin: [UInt8]? = nil, timeout: Double = 20) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    if let stdin {
        let writer = input.fileHandleForWriting
        Thread.detachNewThread {
            writer.write(Data(stdin))
            try? writer.close()
        }
    }
    let errors = Locked(Data())
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        errors.value = err.fileHandleForReading.readDataToEndOfFile()
        done.signal()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    if finished.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        finished.wait()
    }
    done.wait()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors.value, as: UTF8.self))
}

/// A fixture that could not be set up as asked.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
