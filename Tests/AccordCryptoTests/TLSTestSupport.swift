import AccordCrypto
import Dispatch
import Foundation
import Synchronization
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Result of a finished child process.
struct ProcessOutput {
    let status: Int32
    let output: String
}

/// Runs a program with a time limit (terminated when it passes), capturing stdout and stderr.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], timeout: Double = 20) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    if finished.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        finished.wait()
    }
    return ProcessOutput(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}

/// A federation CA and unit certificates made by `ops/federation-ca.sh` in a temporary directory.
final class TLSFixture {
    let directory: String
    var caDirectory: String { directory + "/ca" }
    var caPath: String { caDirectory + "/ca.pem" }
    var crlPath: String { caDirectory + "/crl.pem" }

    init() throws {
        // OpenSSL writes with write(2); a vanished peer must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("AccordTLSTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try script(["init-ca", caDirectory, "--name", "Test Federation CA"])
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs the CA script; throws with its output when it fails.
    @discardableResult
    func script(_ arguments: [String]) throws -> ProcessOutput {
        let result = try runProcess("/bin/bash", [repositoryRoot + "/ops/federation-ca.sh"] + arguments)
        if result.status != 0 {
            throw FixtureError(message: "federation-ca.sh \(arguments.joined(separator: " ")) failed: \(result.output)")
        }
        return result
    }

    /// Issues a certificate for `unit` from the fixture CA (or `ca`) and returns (chain, key) paths.
    @discardableResult
    func issue(_ unit: String, ca: String? = nil, _ options: [String] = []) throws -> (chain: String, key: String) {
        let out = directory + "/units"
        try script(["issue", ca ?? caDirectory, unit, "--out", out] + options)
        return (out + "/\(unit).pem", out + "/\(unit).key")
    }

    /// A configuration for `unit`, issuing its certificate first when needed.
    func configuration(
        _ unit: String, crl: Bool = false, handshakeTimeout: Double = 5,
        acceptPeer: @escaping @Sendable (PeerIdentity) -> TLSPeerDecision = { _ in .accept }
    ) throws -> TLSConfiguration {
        let paths = (directory + "/units/\(unit).pem", directory + "/units/\(unit).key")
        if !FileManager.default.fileExists(atPath: paths.0) { try issue(unit) }
        return TLSConfiguration(
            certificateChainPath: paths.0, privateKeyPath: paths.1, trustedCAPath: caPath,
            crlPath: crl ? crlPath : nil, handshakeTimeout: handshakeTimeout, acceptPeer: acceptPeer)
    }

    func context(_ unit: String, _ role: TLSContext.Role, crl: Bool = false) throws -> TLSContext {
        try TLSContext(configuration: configuration(unit, crl: crl), role: role)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A server on 127.0.0.1 (kernel-chosen port) that accepts one connection on its own thread,
/// runs the server handshake and then `body`, and reports how it ended. Every blocking step has
/// a time limit, so the thread always finishes.
final class OneShotServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<Void, any Error>?>(nil)

    init(context: TLSContext, body: @escaping @Sendable (TLSConnection) throws -> Void = { _ in }) throws {
        let (listener, port) = try Socket.listen(host: "127.0.0.1", port: 0)
        Socket.setTimeouts(listener, read: 10, write: 10)
        self.listener = listener
        self.port = port
        let thread = Thread { [self] in
            let result = Result<Void, any Error> {
                let fd = try Socket.accept(listener)
                Socket.setTimeouts(fd, read: 10, write: 10)
                let connection = try TLSConnection.accept(socket: fd, context: context)
                defer { connection.close() }
                try body(connection)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the server thread (at most `timeout` seconds) and returns how it ended.
    func finish(timeout: Double = 15) throws -> Result<Void, any Error> {
        defer { Socket.close(listener) }
        guard done.wait(timeout: .now() + timeout) == .success else {
            throw FixtureError(message: "server thread did not finish within \(timeout) s")
        }
        return try #require(outcome.withLock { $0 })
    }

    /// The server's error, which must be a ``CryptoError``.
    func failure(timeout: Double = 15) throws -> CryptoError? {
        switch try finish(timeout: timeout) {
        case .success: return nil
        case .failure(let error): return error as? CryptoError
        }
    }
}

/// Connects a client to `port` (5 s timeouts on every step).
func connectClient(port: UInt16, context: TLSContext, serverUnit: String? = nil) throws -> TLSConnection {
    let fd = try Socket.connect(host: "127.0.0.1", port: port, timeout: 5)
    Socket.setTimeouts(fd, read: 5, write: 5)
    return try TLSConnection.connect(socket: fd, context: context, serverUnit: serverUnit)
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

/// Deterministic test bytes.
func pattern(count: Int, seed: UInt8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ ($0 >> 8)) }
}
