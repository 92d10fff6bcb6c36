import AccordAPI
import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordSampleData
import Dispatch
import Foundation

/// `accord demo`: a local federation with sample data on 127.0.0.1, no set-up.
enum DemoCommand {
    static let allUnits = ["retail", "insurance", "webshop", "support"]

    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["records", "units", "dir", "api-listen"], flags: ["keep-running", "exit"])
        _ = try arguments.positionals(exactly: [])
        let records = try arguments.integer("records", default: 2000, range: 1...10_000_000)
        let unitCount = try arguments.integer("units", default: 3, range: 2...allUnits.count)
        let units = Array(allUnits.prefix(unitCount))
        let directory = try arguments.option("dir") ?? makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hub = units[0]
        let apiListen = try arguments.option("api-listen").map { text in
            guard let endpoint = PeerCommand.parseEndpoint(text, allowAnyPort: true) else {
                throw UsageError(message: "--api-listen must look like 127.0.0.1:8401 (port 0 lets the system choose)")
            }
            return endpoint
        }

        Output.line("Accord demo: a local federation of \(units.count) units of the sample federation \"acme\" on 127.0.0.1")
        Output.line("Directory: \(directory)")
        let logger = Logger(minimum: .warning)
        let members = units + ["governance"]
        let federation = try LocalFederation(directory: directory, units: members,
                                             policyText: try DemoPolicy.restricted(to: Set(members)), logger: logger)
        defer { federation.stopAll() }
        Output.line("1. Made a CA in memory, a node per unit (\(units.joined(separator: ", "))) and one for the governance team, each with "
            + "its certificate, and one policy with every member's signing key")

        Output.line("2. Each unit imports its own customers (overlapping people, realistic noise):")
        let population = SamplePopulation(persons: records, seed: 2026)
        for unit in units {
            let csv = (directory as NSString).appendingPathComponent("\(unit)-customers.csv")
            _ = try population.writeCSV(unit: unit, coverage: 0.6, noise: 0.1, to: csv)
            let report = try federation.node(unit).importRecords(from: csv, options: ImportOptions(format: .csv, mapping: ImportMapping()))
            Output.line("   \(unit): \(Output.grouped(report.recordsWritten)) records, \(Output.grouped(report.entriesWritten)) entries in "
                + "\(report.batchesSealed) signed batches, \(report.rowsRejected) rejected (\(csv))")
        }

        // Consent decisions, access and erasure requests over the last year, for the dashboard.
        try seedGovernance(try federation.node(hub))
        let started = Date()
        try federation.serve(hub, peers: [])
        for unit in members.dropFirst() { try federation.serve(unit, peers: [hub]) }
        Output.line("3. Nodes serving on 127.0.0.1 over TLS 1.3 with mutual authentication; \(hub) is the hub, the others dial it")
        guard federation.waitForConvergence(timeout: 120) else {
            throw NodeError(.storage, "the nodes did not converge within 120 s")
        }
        Output.line(String(format: "4. Converged in %.2f s: every node holds every batch it may receive. Digests per class:", Date().timeIntervalSince(started)))
        var digests: [String: [String: String]] = [:]
        for unit in members {
            digests[unit] = try federation.running[unit]!.engine.withNode { try $0.digests() }
        }
        let classes = Set(digests.values.flatMap(\.keys)).sorted()
        for name in classes {
            let holders = members.filter { digests[$0]?[name] != nil }
            let values = Set(holders.compactMap { digests[$0]?[name] })
            Output.line("   \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(values.count == 1 ? "equal" : "DIFFERENT") on \(holders.joined(separator: ", "))"
                + (values.count == 1 ? "  \(values.first!.prefix(16))…" : ""))
        }
        try recordSegment(federation, on: "governance", hub: hub)
        let other = units[1]
        if let key = try federation.running[hub]!.engine.withNode({ try $0.recordKeys(owner: $0.unit, limit: 1).first }),
           let view = try federation.running[other]!.engine.withNode({ try $0.record(localId: key.localId, owner: key.unit) }) {
            Output.line("5. A customer of \(hub), as \(other) holds it (accord record show \(key.localId) --owner \(hub) --node \(federation.path(other))):")
            for entry in view.attributes { Output.line("   \(entry.attribute): \(entry.value ?? "(deleted)")  [by \(entry.author)]") }
        }
        try DemoProfileTour.show(federation.running[hub]!.engine, unit: hub, path: federation.path(hub), step: 6)
        try DemoTour.consent(federation, hub: hub, asker: other, units: units, step: 7)
        try DemoTour.erasure(federation, hub: hub, step: 8)
        try recordSegment(federation, on: "governance", hub: hub)
        let api = try DemoTour.api(federation, unit: "governance", listen: apiListen ?? (host: "127.0.0.1", port: 0), directory: directory,
                                   logger: logger, step: 9)
        defer { api?.stop() }
        Output.line("")
        Output.line("Explore (in another terminal while the demo runs):")
        Output.line("  accord status --node \(federation.path(hub))        # peers, last contact, lag per stream")
        Output.line("  accord digest --node \(federation.path(other))")
        Output.line("  accord review list --node \(federation.path(hub))     # pairs for a data steward to decide")
        Output.line("  accord record put C-1 given_name=Ada --node \(federation.path(units.last!))   # pushed to the others at once")
        guard !arguments.flag("exit") else { return }
        let interrupts = Signals.catchInterrupts()
        Output.line("Serving until Ctrl-C (nothing is removed: the nodes stay in \(directory)).")
        fflush(nil)  // a pipe or file reader sees the tour now, not when the demo stops
        interrupts.wait()
        Output.line("Stopping.")
        fflush(nil)
    }

    private static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "accord-demo-XXXXXX").utf8CString)
        guard let result = mkdtemp(&template) else { throw NodeError(.storage, "cannot create a temporary directory") }
        return String(cString: result)
    }
}
