import AccordCrypto
import AccordLedger
import AccordModel
import AccordNode
import AccordStore
import AccordSync
import Foundation

/// Nodes of one federation in this process, each serving sync on a loopback port, with a CA and
/// certificates made by `ops/federation-ca.sh` and a policy holding every unit's signing key.
final class BenchFederation {
    struct Served {
        let engine: SyncEngine
        let service: SyncService
        let port: UInt16
    }

    let directory: String
    let units: [String]
    private(set) var running: [String: Served] = [:]
    let pollInterval: Double

    init(directory: String, units: [String], pollInterval: Double = 0.005) throws {
        self.directory = directory
        self.units = units
        self.pollInterval = pollInterval
        let script = Self.script()
        try Self.shell([script, "init-ca", directory + "/ca"])
        var keys: [String: String] = [:]
        for unit in units {
            let node = try Node.initialize(directory: directory + "/" + unit, unit: unit, policyText: Array(SamplePolicy.text.utf8))
            keys[unit] = node.publicKeyBase64
            try Self.shell([script, "issue", directory + "/ca", unit, "--out", directory + "/" + unit + "/tls"])
            try FileManager.default.copyItem(atPath: directory + "/ca/ca.pem", toPath: directory + "/" + unit + "/tls/ca.pem")
            try Node.updateConfig(directory: directory + "/" + unit) { config in
                config.tls = NodeConfig.TLSFiles(certificate: "tls/\(unit).pem", key: "tls/\(unit).key", ca: "tls/ca.pem")
            }
        }
        let data = Data(try PolicyKeys.setting(keys, in: Array(SamplePolicy.text.utf8)))
        for unit in units { try data.write(to: URL(fileURLWithPath: directory + "/" + unit + "/policy.json")) }
    }

    /// Opens a unit's node (for writes before it serves).
    func node(_ unit: String) throws -> Node { try Node(directory: directory + "/" + unit) }

    /// Starts serving a unit, dialing the named running peers.
    @discardableResult
    func serve(_ unit: String, peers: [String]) throws -> Served {
        let node = try self.node(unit)
        let tls = try node.tlsConfiguration()
        let logger = Logger(minimum: ProcessInfo.processInfo.environment["ACCORD_BENCH_LOG"] == "debug" ? .debug : .error)
        let engine = SyncEngine(node: node, logger: logger)
        var settings = SyncService.Settings(unit: unit)
        settings.pollInterval = pollInterval
        settings.minBackoff = 0.05
        let service = try SyncService(engine: engine, tls: tls, settings: settings, logger: logger)
        let port = try service.start(
            listen: (host: "127.0.0.1", port: 0),
            peers: peers.map { (unit: $0, host: "127.0.0.1", port: running[$0]!.port) })!
        let served = Served(engine: engine, service: service, port: port)
        running[unit] = served
        return served
    }

    func stopAll() {
        for served in running.values { served.service.stop() }
        running = [:]
    }

    /// Latency of single changes across every unit: write on one node, time until all hold it.
    func latency(topology: String, samples: Int) throws -> [Double] {
        stopAll()
        let hub = units[0]
        for (index, unit) in units.enumerated() {
            let peers = topology == "hub" ? (unit == hub ? [] : [hub]) : Array(units[..<index])
            try serve(unit, peers: peers)
        }
        // Wait until every link is up.
        try SyncBenchmark.waitUntil(timeout: 30) {
            running.values.allSatisfy { served in
                served.service.peerStatus().allSatisfy(\.connected)
            } && running[hub]!.service.peerStatus().count >= (topology == "hub" ? 0 : 0)
        }
        Thread.sleep(forTimeInterval: 0.5)
        var latencies: [Double] = []
        let writers = units.filter { $0 != "governance" }  // governance authors nothing under the sample policy
        for sample in 0..<samples {
            let writer = writers[sample % writers.count]
            let served = running[writer]!
            let start = DispatchTime.now().uptimeNanoseconds
            let head = try served.engine.withNode { node -> StreamHead in
                try node.write(localId: "L-\(sample)", values: ["given_name": .text("Name \(sample)")])
                return try node.store.streamHead(StreamID(unchecked: node.unit, shareClass: "identity"))
            }
            served.engine.noteChange()
            let others = running.filter { $0.key != writer }.map(\.value.engine)
            try SyncBenchmark.waitUntil(timeout: 10) {
                try others.allSatisfy { try $0.withNode { try $0.store.streamHead(head.stream).sequence } >= head.sequence }
            }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        stopAll()
        return latencies
    }

    static func script() -> String {
        // The repository's ops script, found from this source file or the working directory.
        let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ops/federation-ca.sh").path
        return FileManager.default.fileExists(atPath: fromSource) ? fromSource : "ops/federation-ca.sh"
    }

    static func shell(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("\(arguments.joined(separator: " ")) failed") }
    }
}
