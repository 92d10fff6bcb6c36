import Foundation
import Testing

/// A federation of real `accord serve` processes on 127.0.0.1, made at test time: a CA and unit
/// certificates from `ops/federation-ca.sh`, nodes from `accord init`, a policy holding every
/// unit's signing key. Nodes listen on ports the system picks; every process is stopped by `stop()`.
final class Federation {
    let directory: String
    let units: [String]
    private(set) var processes: [String: Process] = [:]
    private(set) var ports: [String: UInt16] = [:]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Creates the CA, certificates, nodes and the shared policy.
    init(directory: String, units: [String]) throws {
        self.directory = directory
        self.units = units
        let script = Self.root.appendingPathComponent("ops/federation-ca.sh").path
        try Self.shell([script, "init-ca", directory + "/ca"])
        var keys: [String: String] = [:]
        for unit in units {
            let node = path(unit)
            let created = try AccordBinary.run(["init", "--unit", unit, "--node", node, "--json"])
            guard created.status == 0, let info = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any],
                  let key = info["signingKey"] as? String else { throw FederationError("init \(unit): \(created.stderr)") }
            keys[unit] = key
            try Self.shell([script, "issue", directory + "/ca", unit, "--out", node + "/tls"])
            try FileManager.default.copyItem(atPath: directory + "/ca/ca.pem", toPath: node + "/tls/ca.pem")
        }
        // One policy for all, with every unit's signing key (accord policy set-key), given to every node.
        // node.json already names tls/<unit>.pem, tls/<unit>.key and tls/ca.pem (accord init).
        let shared = directory + "/policy.json"
        try FileManager.default.copyItem(atPath: path(units[0]) + "/policy.json", toPath: shared)
        for unit in units {
            let result = try AccordBinary.run(["policy", "set-key", shared, "--node", path(unit)])
            guard result.status == 0 else { throw FederationError("policy set-key \(unit): \(result.stderr)") }
        }
        for unit in units {
            try FileManager.default.removeItem(atPath: path(unit) + "/policy.json")
            try FileManager.default.copyItem(atPath: shared, toPath: path(unit) + "/policy.json")
        }
        // Every unit's key reached the policy as `accord init` printed it.
        let policy = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shared))) as? [String: Any]
        let listed = ((policy?["units"] as? [[String: Any]]) ?? []).reduce(into: [String: String]()) { result, unit in
            if let id = unit["id"] as? String, let key = unit["signingKey"] as? String { result[id] = key }
        }
        guard listed == keys else { throw FederationError("policy set-key wrote \(listed), init printed \(keys)") }
    }

    func path(_ unit: String) -> String { directory + "/" + unit }

    /// Runs `accord` against a unit's node.
    @discardableResult
    func accord(_ unit: String, _ arguments: [String]) throws -> CommandResult {
        try AccordBinary.run(arguments + ["--node", path(unit)])
    }

    /// Adds peers to a node's configuration (before it starts).
    func connect(_ unit: String, to peers: [String]) throws {
        for peer in peers {
            guard let port = ports[peer] else { throw FederationError("\(peer) is not serving") }
            let result = try accord(unit, ["peer", "add", peer, "127.0.0.1:\(port)"])
            guard result.status == 0 else { throw FederationError("peer add: \(result.stderr)") }
        }
    }

    /// Starts `accord serve` for a unit on a port the system picks; waits for it to listen.
    func start(_ unit: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AccordBinary.path)
        process.arguments = ["serve", "--node", path(unit), "--listen", "127.0.0.1:\(ports[unit] ?? 0)", "--log-level", "debug"]
        let out = Pipe()
        process.standardOutput = out
        if !FileManager.default.fileExists(atPath: logPath(unit)) {
            _ = FileManager.default.createFile(atPath: logPath(unit), contents: nil)
        }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath(unit)))
        logHandle.seekToEndOfFile()
        process.standardError = logHandle
        try process.run()
        processes[unit] = process
        // "accord serve: unit U listening on 127.0.0.1:PORT"
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while !text.contains("\n") && Date() < deadline && process.isRunning {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = text.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw FederationError("\(unit) did not start: \(text) \(log(unit))")
        }
        ports[unit] = port
    }

    func logPath(_ unit: String) -> String { directory + "/\(unit).log" }
    func log(_ unit: String) -> String { (try? String(contentsOfFile: logPath(unit), encoding: .utf8)) ?? "" }

    /// Stops a unit: SIGTERM (clean) or SIGKILL.
    func stop(_ unit: String, signal: Int32 = SIGTERM) {
        guard let process = processes.removeValue(forKey: unit) else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Stops every node cleanly; returns the exit statuses.
    @discardableResult
    func stopAll() -> [String: Int32] {
        var statuses: [String: Int32] = [:]
        for (unit, process) in processes {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            statuses[unit] = process.terminationStatus
        }
        processes = [:]
        return statuses
    }

    /// Per-class digests of a node.
    func digests(_ unit: String) throws -> [String: String] {
        let result = try accord(unit, ["digest", "--json"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String]) ?? [:]
    }

    /// Waits until `check` holds, polling; returns whether it did within `timeout` seconds.
    func eventually(timeout: Double = 20, _ check: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try check() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try check()
    }

    /// Streams (`author/class`) a node holds.
    func streams(_ unit: String) throws -> Set<String> {
        let status = try accord(unit, ["status", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return Set(((object?["streams"] as? [[String: Any]]) ?? []).compactMap { $0["stream"] as? String })
    }

    deinit {
        stopAll()
        keepLogs()
    }

    /// Copies every unit's log to `$ACCORD_TEST_LOG_DIR` (when set), so CI can check the logs of a
    /// whole test run for personal data (`ops/check-logs.sh`).
    private func keepLogs() {
        guard let keep = ProcessInfo.processInfo.environment["ACCORD_TEST_LOG_DIR"], !keep.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
        let run = UUID().uuidString.prefix(8)
        for unit in units where FileManager.default.fileExists(atPath: logPath(unit)) {
            try? FileManager.default.copyItem(atPath: logPath(unit), toPath: keep + "/\(run)-\(unit).log")
        }
    }

    static func shell(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FederationError("\(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))")
        }
    }
}

struct FederationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
