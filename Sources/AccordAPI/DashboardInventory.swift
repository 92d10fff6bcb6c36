import AccordNode
import Foundation

/// The dashboard's inventory page: what each unit holds and shares, and the minimization findings.
enum DashboardInventory {
    private typealias F = DashboardFormat

    /// The page body: findings first, then a share-class matrix (which classes reach which units), then a table per unit.
    static func page(_ inventory: DataInventory, freshnessHours: Int, units: [String]) -> String {
        var html = HTML()
        html.element("h1", "Data inventory")
        html.element("p", "Per unit (the records it owns) and attribute: records carrying a value, validity (policy rules in normalized form, "
                     + "on an even sample of about \(DataInventory.validitySample) records per unit), when the unit itself last wrote it (red past "
                     + "\(freshnessHours) h), its share class and the units receiving it, who may write it, and the consent purposes it is collected for "
                     + "(attributes[].purposes). Also as accord inventory and GET /v1/inventory.", class: "muted")
        html.raw(inventory.findings.isEmpty ? "<div class=\"panel\">" : "<div class=\"panel marked\">")
        html.element("h2", "Minimization findings: \(inventory.findings.count)")
        html.table(["Unit", "Attribute", "Records carrying it", "Why"], inventory.findings.map {
            [($0.unit, nil), ($0.attribute, nil), (F.count($0.carrying), "num bad"), ($0.reason, nil)]
        }, empty: "Every attribute a unit holds is used by a purpose of the policy.")
        html.raw("</div>")
        html.raw("<div class=\"panel\"><h2>Attributes held per unit</h2>")
        let held = units.compactMap { unit -> (label: String, value: Double, text: String, bad: Bool)? in
            let rows = inventory.rows.filter { $0.unit == unit }
            guard !rows.isEmpty else { return nil }
            let carried = rows.filter { $0.carrying > 0 }.count
            let flagged = inventory.findings.filter { $0.unit == unit }.count
            return (label: unit, value: Double(carried), text: "\(carried) of \(rows.count)" + (flagged > 0 ? ", \(flagged) without purpose" : ""), bad: flagged > 0)
        }
        html.raw(SVGChart.bars(held, width: 520))
        html.raw("</div>")
        for unit in units {
            let rows = inventory.rows.filter { $0.unit == unit }
            guard let first = rows.first else { continue }
            html.raw("<div class=\"panel\">")
            html.element("h2", "\(unit): \(F.count(first.records)) records")
            html.table(["Attribute", "Class", "PII", "Carried", "Share", "Validity", "Last written", "Received by", "Writers", "Purposes"], rows.map { row in
                let age = row.lastWrittenMillis.map { inventory.generatedAtMillis - $0 }
                let stale = age.map { $0 > Int64(freshnessHours) * 3_600_000 } ?? false
                let purposes = row.purposes.map { $0.isEmpty ? "none" : $0.joined(separator: ", ") } ?? "not declared"
                let unused = row.carrying > 0 && (row.purposes?.isEmpty ?? true)
                return [(row.attribute, nil), (row.shareClass, nil), (row.pii, nil), (F.count(row.carrying), "num"),
                        (F.percent(row.carrying, row.records), "num"),
                        (row.checked == 0 ? "–" : F.percent(row.valid, row.checked), row.valid < row.checked ? "num bad" : "num"),
                        (age.map { F.age($0) + " ago" } ?? "never", stale ? "bad" : nil),
                        (row.audience.joined(separator: ", "), nil), (row.writers.isEmpty ? "–" : row.writers.joined(separator: ", "), nil),
                        (purposes, unused ? "bad" : nil)]
            }, empty: "")
            html.raw("</div>")
        }
        if inventory.rows.isEmpty { html.element("p", "No attribute is held or authored by any unit.", class: "muted") }
        return html.text
    }
}
