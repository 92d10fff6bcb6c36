import AccordCrypto
import AccordNode
import Foundation

/// Real `accord serve` processes on 127.0.0.1, one node directory each, made in-process by
/// ``AccordNode/LocalFederation`` (a CA, unit certificates, one policy with every unit's key).
/// Each node listens on a port chosen once by the harness and kept across restarts.
///
/// `@unchecked Sendable`: the table of processes is only touched under `lock`.
final class Cluster: @unchecked Sendable {
    let accord: String
    let directory: String
    let units: [String]
    let ports: [String: UInt16]
    /// The federation CA (in memory, never written): it issues the evil relay's test certificates.
    let authority: CertificateAuthority
    private let lock = NSLock()
    private var serving: [String: ChildProcess] = [:]
    private var environments: [String: [String: String]] = [:]

    /// Creates the node directories under `directory` and picks a port per unit.
    init(accord: String, directory: String, units: [String]) throws {
        self.accord = accord
        self.directory = directory
        self.units = units
        try FileManager.default.createDirectory(atPath: directory + "/scratch", withIntermediateDirectories: true)
        authority = try LocalFederation(directory: directory, units: units, logger: Logger(minimum: .error)).authority
        var ports: [String: UInt16] = [:]
        for unit in units { ports[unit] = try Self.freePort() }
        self.ports = ports
    }

    /// A port free now on 127.0.0.1.
    static func freePort() throws -> UInt16 {
        let (fd, port) = try Socket.listen(host: "127.0.0.1", port: 0)
        Socket.close(fd)
        return port
    }

    func path(_ unit: String) -> String { directory + "/" + unit }

    /// Sets what every later process of `unit` (its `accord serve` and its commands) gets added to
    /// the harness's environment: the unit's clock (``ClockJumps``).
    func setEnvironment(_ unit: String, _ environment: [String: String]) { lock.withLock { environments[unit] = environment } }

    private func environment(_ unit: String) -> [String: String] { lock.withLock { environments[unit] ?? [:] } }
    func logPath(_ unit: String) -> String { directory + "/\(unit).log" }

    /// Runs `accord ARGUMENTS --node <unit's directory>`.
    func run(_ unit: String, _ arguments: [String], timeout: Double = 60) throws -> ChildProcess.Result {
        try ChildProcess.run(accord, arguments + ["--node", path(unit)], scratch: directory + "/scratch", timeout: timeout,
                             environment: environment(unit))
    }

    /// Adds a peer endpoint to a unit's configuration (before it serves).
    func addPeer(_ unit: String, peer: String, port: UInt16) throws {
        let result = try run(unit, ["peer", "add", peer, "127.0.0.1:\(port)"])
        guard result.ok else { throw HarnessError("peer add \(peer) on \(unit): \(result.stderr)") }
    }

    /// Starts `accord serve` for a unit on its port and waits until it listens.
    func start(_ unit: String) throws {
        let out = directory + "/scratch/\(unit).serve.out"
        try? FileManager.default.removeItem(atPath: out)
        let child = try ChildProcess(accord, ["serve", "--node", path(unit), "--listen", "127.0.0.1:\(ports[unit]!)", "--log-level", "info"],
            stdout: out, stderr: logPath(unit), environment: environment(unit))
        let deadline = Date().addingTimeInterval(20)
        while !child.stdout.contains("listening on") {
            guard child.isRunning, Date() < deadline else {
                child.killNow()
                throw HarnessError("\(unit) did not start serving: \(String(child.stdout.suffix(300)))")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        lock.withLock { serving[unit] = child }
    }

    func isServing(_ unit: String) -> Bool { lock.withLock { serving[unit]?.isRunning ?? false } }

    /// Sends a signal to a unit's `accord serve` (SIGSTOP, SIGCONT).
    func signal(_ unit: String, _ number: Int32) { lock.withLock { serving[unit] }?.signal(number) }

    /// `kill -9` of a unit's `accord serve`; returns whether it was running.
    @discardableResult
    func kill9(_ unit: String) -> Bool {
        guard let child = lock.withLock({ serving.removeValue(forKey: unit) }) else { return false }
        let wasRunning = child.isRunning
        child.signal(SIGCONT)
        child.killNow()
        return wasRunning
    }

    /// Stops a unit cleanly (SIGTERM, then SIGKILL after 15 s).
    func stop(_ unit: String) {
        guard let child = lock.withLock({ serving.removeValue(forKey: unit) }) else { return }
        child.signal(SIGCONT)
        child.signal(SIGTERM)
        child.wait(timeout: 15)
    }

    func stopAll() { for unit in units { stop(unit) } }

    /// Per-class digests of a unit (`accord digest --json`), or `nil` when the command failed.
    func digests(_ unit: String) -> [String: String]? {
        guard let result = try? run(unit, ["digest", "--json"], timeout: 20), result.ok,
              let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String] else { return nil }
        return object
    }

    /// Whether `accord verify` finds the unit's store sound; the complaint when not.
    func verify(_ unit: String) -> String? {
        guard let result = try? run(unit, ["verify"], timeout: 120) else { return "accord verify did not run" }
        return result.ok ? nil : "accord verify: " + String((result.stdout + result.stderr).suffix(400))
    }
}

/// A failure of the harness itself (not a finding).
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
