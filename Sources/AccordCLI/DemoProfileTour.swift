import AccordNode
import AccordStore
import Foundation

/// The demo's profile step: the hub consolidates what it holds and shows one person across units.
enum DemoProfileTour {
    /// Prints the step (numbered `step`) for the node `engine` serves.
    static func show(_ engine: SyncEngine, unit: String, path: String, step: Int) throws {
        let started = Date()
        let (report, bodies) = try engine.withNode { node in
            (try node.refreshProfiles(force: true), try node.store.allProfileBodies())
        }
        guard let report else { return }
        var across = 0
        var example: [String: Any]?
        for (_, body) in bodies {
            guard let document = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  let units = document["units"] as? [String: Any], units.count >= 2 else { continue }
            across += 1
            if example == nil || units.count > ((example?["units"] as? [String: Any])?.count ?? 0) { example = document }
        }
        Output.line(String(format: "\(step). \(unit) consolidated %@ records into %@ profiles in %.2f s (%@ with records of several units, %@ pairs to review).",
                           Output.grouped(report.recordsTouched), Output.grouped(report.profiles), Date().timeIntervalSince(started),
                           Output.grouped(across), Output.grouped(report.reviewPairs)))
        guard let example, let id = example["id"] as? String else { return }
        let records = (example["records"] as? [String] ?? []).joined(separator: ", ")
        Output.line("   One person across units (accord profile show \(id) --node \(path)):")
        Output.line("   records: \(records)")
        for value in example["values"] as? [[String: Any]] ?? [] {
            let shown = (value["value"] as? String) ?? (value["value"] as? [String])?.joined(separator: ", ") ?? ""
            let from = (value["lineage"] as? [[String: Any]] ?? []).compactMap { $0["record"] as? String }
            Output.line("   \(value["attribute"] as? String ?? ""): \(shown)  [\(value["rule"] as? String ?? "") from \(Set(from).sorted().joined(separator: ", "))]")
        }
    }
}
