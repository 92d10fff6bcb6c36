import Foundation

/// What each unit holds and shares, per attribute (issue 9, the data inventory): how many of the
/// unit's records carry the attribute, how many values pass the policy's validation, when the unit
/// last wrote it, its share class and the units that receive it, who may write it, and the consent
/// purposes it is collected for. Aggregates only: no record key or value. Made by
/// ``Node/dataInventory()``.
public struct DataInventory: Sendable, Equatable {
    /// One attribute of one unit's records.
    public struct Row: Sendable, Equatable {
        /// The unit that owns the records.
        public var unit: String
        /// The attribute.
        public var attribute: String
        /// Its share class.
        public var shareClass: String
        /// The members that receive that class (policy order).
        public var audience: [String]
        /// How personal it is (`direct`, `indirect`, `sensitive`, `none`).
        public var pii: String
        /// The members that may write it on this unit's records: the unit itself when it may author
        /// the attribute, and every unit a write rule lets (policy order).
        public var writers: [String]
        /// The consent purposes it is collected for (`nil`: the catalog does not say).
        public var purposes: [String]?
        /// The unit's records.
        public var records: Int
        /// Those whose winning value (over every author) is present.
        public var carrying: Int
        /// Values validated (every n-th record of a large unit, see ``DataInventory/validitySample``).
        public var checked: Int
        /// Those that passed.
        public var valid: Int
        /// The clock reading (milliseconds) of the newest entry the unit itself wrote for the attribute, on any record.
        public var lastWrittenMillis: Int64?

        /// Share of the validated values that passed, `nil` when none was validated.
        public var validity: Double? { checked == 0 ? nil : Double(valid) / Double(checked) }
    }

    /// An attribute a unit holds that no policy purpose uses (data minimization).
    public struct Finding: Sendable, Equatable {
        /// The unit.
        public var unit: String
        /// The attribute.
        public var attribute: String
        /// How many of the unit's records carry it.
        public var carrying: Int
        /// Why it is a finding.
        public var reason: String
    }

    /// About how many records per unit are validated (validation costs far more than counting).
    public static let validitySample = 5_000

    /// The policy version the inventory was made under.
    public var policyVersion: Int
    /// When it was made (Unix milliseconds).
    public var generatedAtMillis: Int64
    /// Per unit (policy order) and attribute (catalog order).
    public var rows: [Row]
    /// The minimization findings, in row order.
    public var findings: [Finding]

    /// Only the rows and findings of one unit.
    public func only(unit: String) -> DataInventory {
        DataInventory(policyVersion: policyVersion, generatedAtMillis: generatedAtMillis,
                      rows: rows.filter { $0.unit == unit }, findings: findings.filter { $0.unit == unit })
    }

    /// The inventory as JSON (keys sorted): `{"generatedAt","policyVersion","attributes":[...],"findings":[...]}`;
    /// the form of `accord inventory --json` and `GET /v1/inventory`.
    public func json() -> [UInt8] {
        let attributes: [[String: Any]] = rows.map { row in
            var item: [String: Any] = [
                "unit": row.unit, "attribute": row.attribute, "shareClass": row.shareClass, "audience": row.audience, "pii": row.pii,
                "writers": row.writers, "purposes": row.purposes ?? NSNull(), "records": row.records, "carrying": row.carrying,
                "checked": row.checked, "valid": row.valid, "validity": row.validity ?? NSNull(),
                "lastWrittenAt": NSNull(), "freshnessSeconds": NSNull(),
            ]
            if let last = row.lastWrittenMillis {
                item["lastWrittenAt"] = Self.iso(last)
                item["freshnessSeconds"] = max(0, (generatedAtMillis - last) / 1000)
            }
            return item
        }
        let findings: [[String: Any]] = findings.map { ["unit": $0.unit, "attribute": $0.attribute, "carrying": $0.carrying, "reason": $0.reason] }
        let document: [String: Any] = ["generatedAt": Self.iso(generatedAtMillis), "policyVersion": policyVersion,
                                       "attributes": attributes, "findings": findings]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return [UInt8](data)
    }

    /// `2026-12-03T08:40:00Z`.
    static func iso(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
