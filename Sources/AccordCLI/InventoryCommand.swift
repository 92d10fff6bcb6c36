import AccordModel
import AccordNode
import AccordPolicy
import Foundation

/// `accord inventory`: per unit and attribute, what the unit holds and shares, and the
/// minimization findings (see ``AccordNode/DataInventory``).
enum InventoryCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "unit"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        var inventory = try node.dataInventory()
        if let unit = try arguments.unit("unit") {
            guard node.policy.isMember(unit.rawValue) else {
                throw UsageError(message: "--unit: \(unit) is not a member of federation \(node.policy.federation)")
            }
            inventory = inventory.only(unit: unit.rawValue)
        }
        if arguments.flag("json") {
            Output.line(String(decoding: inventory.json(), as: UTF8.self))
            return
        }
        Output.line("Data inventory under policy v\(inventory.policyVersion), as this node (\(node.unit)) holds it")
        for unit in node.policy.units.map(\.id) {
            let rows = inventory.rows.filter { $0.unit == unit }
            guard !rows.isEmpty else { continue }
            Output.line()
            Output.line("\(unit): \(Output.grouped(rows[0].records)) records")
            Output.table(["ATTRIBUTE", "CARRIED", "VALID", "LAST WRITTEN", "CLASS", "RECEIVED BY", "WRITERS", "PURPOSES"],
                         rows.map { cells($0, at: inventory.generatedAtMillis) })
        }
        Output.line()
        if inventory.findings.isEmpty {
            Output.line("Minimization: every attribute a unit holds is used by a purpose of the policy.")
        } else {
            Output.line("Minimization findings (attributes a unit holds that no policy purpose uses):")
            Output.table(["UNIT", "ATTRIBUTE", "RECORDS", "WHY"], inventory.findings.map { [$0.unit, $0.attribute, Output.grouped($0.carrying), $0.reason] })
        }
    }

    /// One row of the text table.
    static func cells(_ row: DataInventory.Row, at now: Int64) -> [String] {
        let carried = "\(Output.grouped(row.carrying)) (\(percent(row.carrying, row.records)))"
        let valid: String = row.checked == 0 ? "–" : "\(percent(row.valid, row.checked)) of \(Output.grouped(row.checked))"
        let written: String = row.lastWrittenMillis.map { age(now - $0) + " ago" } ?? "never"
        let writers: String = row.writers.isEmpty ? "–" : row.writers.joined(separator: ",")
        let purposes: String = row.purposes.map { $0.isEmpty ? "none" : $0.joined(separator: ",") } ?? "not declared"
        return [row.attribute, carried, valid, written, row.shareClass, row.audience.joined(separator: ","), writers, purposes]
    }

    /// `97.5%` (one decimal below 100), `–` for nothing of nothing.
    static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "–" }
        if part == 0 { return "0%" }
        return part == whole ? "100%" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    /// `45 s`, `12 min`, `5 h`, `3 d`.
    static func age(_ millis: Int64) -> String {
        let seconds = max(0, millis / 1000)
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        if seconds < 172_800 { return "\(seconds / 3600) h" }
        return "\(seconds / 86_400) d"
    }
}
